using System.Globalization;

namespace Bollard.Scaler.Specs;

/// <summary>Memory sizes as operators write them: a whole number with K/M/G (powers of 1000) or Ki/Mi/Gi (powers of 1024).</summary>
internal static class ByteSizes
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30),
        ("K", 1000L), ("M", 1000_000L), ("G", 1000_000_000L), ("", 1L),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        foreach (var (suffix, factor) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && count <= long.MaxValue / factor)
            {
                bytes = count * factor;
                return true;
            }
        }

        return false;
    }
}
