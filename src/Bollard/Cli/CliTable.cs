using System.Globalization;
using System.Text;

namespace Bollard.Cli;

/// <summary>Plain-text tables: columns padded to their widest cell, two spaces apart, no trailing spaces.</summary>
internal static class CliTable
{
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        List<IReadOnlyList<string>> all = [headers, .. rows];
        var widths = headers.Select((_, c) => all.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var line = string.Join("  ", row.Select((cell, c) => c < widths.Length - 1 ? cell.PadRight(widths[c]) : cell));
            text.Append(line.TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Short(string? version) => version is null ? "-" : version.Length > 12 ? version[..12] : version;

    public static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
