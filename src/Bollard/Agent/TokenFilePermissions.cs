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

    /// <param name="yaml">The mapping the field belongs to; null: none, nothing to check.</param>
    /// <param name="key">The field naming the file.</param>
    /// <param name="path">The file.</param>
    /// <param name="variable">The environment variable the file was named by instead of the field, if so.</param>
    public static void Check(YamlMappingReader? yaml, string key, string? path, string? variable = null)
    {
        if (yaml is null || path is null || OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            yaml.Error(key, string.Create(CultureInfo.InvariantCulture, $"{path}{(variable is null ? "" : $" (from {variable})")} holds a secret but is open to its group or other users (mode {octal}); make it private to the agent's user: chmod 600 {path}"));
        }
    }
}
