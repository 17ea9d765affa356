using System.Text.RegularExpressions;

namespace Bollard.Scaler.Runtime;

/// <summary>
/// Env files (a spec's <c>envFrom</c>), read on the host whose engine creates the container, at that moment: their
/// values never leave the host except into the container. Docker's <c>--env-file</c> format: one <c>NAME=value</c>
/// per line, the value taken literally up to the end of the line (no quotes are removed), blank lines and lines
/// starting with <c>#</c> skipped. Later files win over earlier ones. No message ever quotes a line (it may be a value).
/// </summary>
public static partial class EnvFiles
{
    public const int MaxBytes = 1024 * 1024;

    /// <exception cref="ContainerOperationException">A file is missing, unreadable, too large or malformed.</exception>
    public static IReadOnlyDictionary<string, string> Read(IEnumerable<string> files, string host)
    {
        ArgumentNullException.ThrowIfNull(files);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (name, value) in Parse(file, ReadText(file, host)))
            {
                values[name] = value;
            }
        }

        return values;
    }

    /// <exception cref="ContainerOperationException">A line is not <c>NAME=value</c>.</exception>
    public static IReadOnlyDictionary<string, string> Parse(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? "" : line[..equals].TrimStart();
            if (equals < 0 || !VariableName().IsMatch(name))
            {
                throw new ContainerOperationException($"env file {file}, line {i + 1}: expected NAME=value (a name of letters, digits and '_', not starting with a digit)");
            }

            values[name] = line[(equals + 1)..];
        }

        return values;
    }

    private static string ReadText(string file, string host)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                throw new ContainerOperationException($"env file {file} does not exist on host {host}");
            }

            return info.Length > MaxBytes
                ? throw new ContainerOperationException($"env file {file} on host {host} is larger than {MaxBytes} bytes")
                : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerOperationException($"env file {file} on host {host} cannot be read: {e.Message}", e);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
