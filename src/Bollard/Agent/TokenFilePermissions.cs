using System.Globalization;
using Bollard.Scaler.Specs;

namespace Bollard.Agent;

/// <summary>
/// A token file named in the agent config holds a credential: one its group or other users may read (or write) is
/// refused as a config error, before anything starts, rather than trusted. A file that does not exist yet is left to
/// the part that reads it (which says so).
/// </summary>
internal static class TokenFilePermissions
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void Check(YamlMappingReader? yaml, string key, string? path)
    {
        if (yaml is null || path is null || OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            yaml.Error(key, string.Create(CultureInfo.InvariantCulture, $"{path} holds a secret but is open to its group or other users (mode {octal}); make it private to the agent's user: chmod 600 {path}"));
        }
    }
}
