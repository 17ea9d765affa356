using System.Globalization;

namespace Bollard.Scaler.Specs;

/// <summary>Durations as operators write them in YAML: a whole number with a unit, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], TimeSpan.FromMilliseconds(1))
            : text.EndsWith('s') ? (text[..^1], TimeSpan.FromSeconds(1))
            : text.EndsWith('m') ? (text[..^1], TimeSpan.FromMinutes(1))
            : text.EndsWith('h') ? (text[..^1], TimeSpan.FromHours(1))
            : (string.Empty, TimeSpan.Zero);
        if (unit == TimeSpan.Zero || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 1_000_000_000)
        {
            return false;
        }

        value = unit * count;
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 1000 != 0 ? $"{value.TotalMilliseconds:0}ms"
        : value.TotalSeconds % 60 != 0 || value == TimeSpan.Zero ? $"{value.TotalSeconds:0}s"
        : value.TotalMinutes % 60 != 0 ? $"{value.TotalMinutes:0}m"
        : $"{value.TotalHours:0}h";
}
