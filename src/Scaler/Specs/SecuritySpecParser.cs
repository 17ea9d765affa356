using System.Text.RegularExpressions;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Specs;

/// <summary>Reads <c>security: {user, readOnlyRootFilesystem, capabilities: {add: [...]}, tmpfs: [...]}</c>.</summary>
internal static partial class SecuritySpecParser
{
    /// <summary>The Linux capabilities (capabilities(7)) a replica may be given back, without their CAP_ prefix.</summary>
    private static readonly HashSet<string> KnownCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
        "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
        "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST",
        "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT",
        "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME",
        "SYS_TTY_CONFIG", "WAKE_ALARM",
    };

    private const long MinTmpfsBytes = 1024 * 1024;

    public static SecuritySpec Parse(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return new SecuritySpec();
        }

        var user = yaml.Text("user");
        if (user is not null && !UserPattern().IsMatch(user))
        {
            yaml.Error("user", $"'{user}' is not a user: a name or uid, optionally with ':group' or ':gid' (e.g. 1000, 1000:1000, app:app)");
        }

        var spec = new SecuritySpec
        {
            User = user,
            ReadOnlyRootFilesystem = yaml.Flag("readOnlyRootFilesystem") ?? false,
            AddCapabilities = ParseCapabilities(yaml.Mapping("capabilities")),
            Tmpfs = ParseTmpfs(yaml),
        };
        yaml.RejectUnknownFields();
        return spec;
    }

    private static ValueList<string> ParseCapabilities(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return [];
        }

        var added = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in yaml.Items("add") ?? [])
        {
            var text = item.Text?.Trim().ToUpperInvariant();
            var name = text is not null && text.StartsWith("CAP_", StringComparison.Ordinal) ? text[4..] : text;
            if (name is "ALL")
            {
                item.Error("ALL would give every capability back: name each one the app needs (e.g. NET_BIND_SERVICE)");
            }
            else if (name is null || !KnownCapabilities.Contains(name))
            {
                item.Error($"'{item.Text ?? "(a list or mapping)"}' is not a Linux capability (e.g. NET_BIND_SERVICE, CHOWN, SETUID; see capabilities(7))");
            }
            else
            {
                added.Add(name);
            }
        }

        yaml.RejectUnknownFields();
        return ValueList.From(added);
    }

    private static ValueList<TmpfsMount> ParseTmpfs(YamlMappingReader yaml)
    {
        var mounts = new SortedDictionary<string, TmpfsMount>(StringComparer.Ordinal);
        foreach (var item in yaml.Items("tmpfs") ?? [])
        {
            if (ParseMount(item) is not { } mount)
            {
                continue;
            }

            if (!mounts.TryAdd(mount.Path, mount))
            {
                item.Error($"'{mount.Path}' is listed twice");
            }
        }

        return ValueList.From(mounts.Values);
    }

    /// <summary>A path (<c>/tmp</c>) or <c>{path: /tmp, size: 64Mi}</c>.</summary>
    private static TmpfsMount? ParseMount(YamlValue item)
    {
        string? path;
        var size = SpecDefaults.TmpfsSizeBytes;
        if (item.Mapping is { } mapping)
        {
            path = mapping.Text("path", required: true);
            if (mapping.Text("size") is { } text)
            {
                if (ByteSizes.TryParse(text, out var bytes) && bytes >= MinTmpfsBytes)
                {
                    size = bytes;
                }
                else
                {
                    mapping.Error("size", $"must be a size of at least 1Mi (e.g. 64Mi, 1Gi), got '{text}'");
                }
            }

            mapping.RejectUnknownFields();
        }
        else
        {
            path = item.Text;
        }

        if (path is null)
        {
            item.Error("must be an absolute path (e.g. /tmp) or {path: /tmp, size: 64Mi}");
            return null;
        }

        if (!MountPath().IsMatch(path))
        {
            item.Error($"'{path}' must be an absolute path other than '/' (letters, digits, '.', '_', '-' and '/')");
            return null;
        }

        return new TmpfsMount(path.TrimEnd('/'), size);
    }

    [GeneratedRegex(@"^([a-zA-Z_][a-zA-Z0-9_.-]{0,31}|[0-9]{1,10})(:([a-zA-Z_][a-zA-Z0-9_.-]{0,31}|[0-9]{1,10}))?$")]
    private static partial Regex UserPattern();

    [GeneratedRegex(@"^(/[a-zA-Z0-9._-]+)+/?$")]
    private static partial Regex MountPath();
}
