using System.Text;

namespace Bollard.Scaler.Runtime;

/// <summary>
/// Bounds a stopped container's last log lines and masks secret values in them. Every env value is a secret by default,
/// and an app that prints its configuration at start (or in a crash dump) would put them into decisions, which are
/// stored and shown: each value of the container's environment is replaced by <c>***</c> before the text leaves its host.
/// </summary>
public static class ExitLogTail
{
    /// <summary>The most lines kept.</summary>
    public const int MaxLines = 20;

    /// <summary>The most characters kept (the last ones): the tail travels in decisions, which are stored cut at 2000.</summary>
    public const int MaxChars = 1500;

    /// <summary>Values shorter than this are not masked: "1" or "true" would mask half the log and hide nothing.</summary>
    public const int MinMaskedLength = 4;

    public static string Of(string log, IEnumerable<string> secretValues)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(secretValues);
        var lines = log.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = lines.Reverse().SkipWhile(string.IsNullOrWhiteSpace).Take(MaxLines).Reverse();
        var text = new StringBuilder(string.Join('\n', kept));

        // Longest first: a value containing another is masked whole.
        foreach (var value in secretValues.Where(v => v.Length >= MinMaskedLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length))
        {
            text.Replace(value, "***");
        }

        var masked = text.ToString();
        return masked.Length <= MaxChars ? masked : "..." + masked[^(MaxChars - 3)..];
    }
}
