using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bollard.Scaler.Specs;

/// <summary>
/// The version id of a service spec: the first 12 hex digits of a SHA-256 over the container-shaping settings
/// (the image as pinned, port, environment, resource limits, security), in a fixed order. Settings that do not change
/// a container (replica count, route, health timings) are left out, so scaling or re-routing never replaces replicas.
/// The image counts by its pin when it has one: the same content under another tag is the same version, and a tag
/// moved to other content is a new one. Environment values count only through their keyed digest
/// (<see cref="ServiceEnvironment.Digest"/>): a version id, which labels, the catalog and every answer show, must not
/// let anyone test a guess of a secret value against it.
/// </summary>
public static class VersionId
{
    /// <exception cref="InvalidOperationException">The spec has environment values without their digest: it did not
    /// pass through the host's secrets key (Secrets/EnvDigests) on its way in.</exception>
    public static string Compute(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.Env.IsDigested)
        {
            throw new InvalidOperationException($"the environment of service '{spec.Name}' has not been digested with the host's secrets key; its version cannot be computed");
        }

        var text = new StringBuilder()
            .Append("image=").Append(spec.PinnedImage ?? spec.Image).Append('\n')
            .Append("port=").Append(spec.Port).Append('\n')
            .Append("cpus=").Append(spec.Resources.Cpus?.ToString("R", CultureInfo.InvariantCulture)).Append('\n')
            .Append("memory=").Append(spec.Resources.MemoryBytes).Append('\n')
            .Append("pids=").Append(spec.Resources.Pids).Append('\n')
            .Append("env=").Append(spec.Env.Digest).Append('\n');
        foreach (var file in spec.Env.Files)
        {
            text.Append("envFrom=").Append(file).Append('\n');
        }

        var security = spec.Security;
        text.Append("user=").Append(security.User).Append('\n')
            .Append("readOnlyRoot=").Append(security.ReadOnlyRootFilesystem).Append('\n')
            .Append("capAdd=").AppendJoin(',', security.AddCapabilities).Append('\n');
        foreach (var tmpfs in security.Tmpfs)
        {
            text.Append("tmpfs=").Append(tmpfs.Path).Append(':').Append(tmpfs.SizeBytes).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash)[..12];
    }
}
