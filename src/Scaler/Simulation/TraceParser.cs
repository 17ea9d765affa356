using System.Collections.Immutable;
using System.Globalization;

namespace Bollard.Scaler.Simulation;

/// <summary>
/// Reads a load trace from CSV text: <c>time,rps[,p95_ms][,cpu]</c>, one row a line, an optional header line, blank
/// lines and lines starting with <c>#</c> ignored. Time is either seconds from the start (<c>0</c>, <c>10</c>,
/// <c>12.5</c>) or ISO 8601 (<c>2026-12-07T08:00:00Z</c>), the same form on every row. Pure: the caller reads the file.
/// </summary>
/// <remarks>Every problem is reported, each located as <c>file:line: what</c>, up to <see cref="MaxProblems"/>.</remarks>
public static class TraceParser
{
    public const int MaxProblems = 20;

    /// <exception cref="TraceFormatException">The text is not a usable trace.</exception>
    public static LoadTrace Parse(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<string>();
        var rows = new List<TracePoint>();
        TraceColumns? header = null;
        bool? absolute = null;
        DateTimeOffset? start = null;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length && problems.Count < MaxProblems; index++)
        {
            var line = lines[index].TrimEnd('\r').Trim();
            var number = index + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(',');
            void Problem(string what) => problems.Add($"{file}:{number}: {what}");
            if (TraceColumns.IsHeader(fields))
            {
                if (rows.Count > 0 || header is not null)
                {
                    Problem("a header line must come before the first row");
                    continue;
                }

                var (columns, problem) = TraceColumns.FromHeader(fields);
                if (problem is not null)
                {
                    Problem(problem);
                    return Fail(problems);
                }

                header = columns;
                continue;
            }

            var layout = header ?? TraceColumns.Positional(fields.Length);
            if (fields.Length != layout.Count || fields.Length is < 2 or > 4)
            {
                Problem(header is null
                    ? $"expected 2 to 4 columns ({TraceColumns.Expected}), got {fields.Length}"
                    : $"expected {header.Count} columns as the header says, got {fields.Length}");
                continue;
            }

            var row = ParseRow(fields, layout, number, ref absolute, ref start, Problem);
            if (row is null)
            {
                continue;
            }

            if (rows.Count > 0 && row.At <= rows[^1].At)
            {
                Problem($"time {Seconds(row.At)}s is not after the previous row's {Seconds(rows[^1].At)}s (line {rows[^1].Line}): rows must be sorted by time, each time once");
                continue;
            }

            rows.Add(row);
        }

        if (problems.Count > 0)
        {
            return Fail(problems);
        }

        return rows.Count switch
        {
            0 => Fail([$"{file}: no data rows (expected CSV lines {TraceColumns.Expected})"]),
            1 => Fail([$"{file}:{rows[0].Line}: only one row: a trace needs at least two, so that its rows have a duration"]),
            _ => new LoadTrace(file, start, [.. rows]),
        };
    }

    private static TracePoint? ParseRow(string[] fields, TraceColumns layout, int line, ref bool? absolute, ref DateTimeOffset? start, Action<string> problem)
    {
        var timeText = fields[layout.Time].Trim();
        TimeSpan at;
        if (double.TryParse(timeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            if (absolute == true)
            {
                problem($"time '{timeText}' is in seconds but earlier rows use ISO 8601 times: use one form throughout");
                return null;
            }

            if (seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                problem($"time '{timeText}' must be seconds from the start, 0 or more");
                return null;
            }

            absolute = false;
            at = TimeSpan.FromSeconds(seconds);
        }
        else if (DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when) && timeText.Contains('T', StringComparison.Ordinal))
        {
            if (absolute == false)
            {
                problem($"time '{timeText}' is ISO 8601 but earlier rows use seconds: use one form throughout");
                return null;
            }

            absolute = true;
            start ??= when;
            at = when - start.Value;
            if (at < TimeSpan.Zero)
            {
                problem($"time '{timeText}' is before the first row's {start.Value.UtcDateTime:O}: rows must be sorted by time");
                return null;
            }
        }
        else
        {
            problem($"time '{timeText}' is neither seconds from the start nor an ISO 8601 time (e.g. 2026-12-07T08:00:00Z)");
            return null;
        }

        var rps = Number(fields[layout.Rps], "rps", required: true, problem);
        var p95 = layout.P95 is { } p ? Number(fields[p], "p95_ms", required: false, problem) : null;
        var cpu = layout.Cpu is { } c ? Number(fields[c], "cpu", required: false, problem) : null;
        var bad = rps is null
            || (layout.P95 is { } pi && fields[pi].Trim().Length > 0 && p95 is null)
            || (layout.Cpu is { } ci && fields[ci].Trim().Length > 0 && cpu is null);
        return bad ? null : new TracePoint(at, rps!.Value, p95, cpu, line);
    }

    /// <summary>A finite, non-negative number; an optional column may be empty (not recorded).</summary>
    private static double? Number(string field, string column, bool required, Action<string> problem)
    {
        var text = field.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                problem($"{column} is empty");
            }

            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            problem($"{column} '{text}' is not a number");
            return null;
        }

        if (value < 0)
        {
            problem($"{column} {text} is negative");
            return null;
        }

        return value;
    }

    private static string Seconds(TimeSpan at) => at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static LoadTrace Fail(IReadOnlyList<string> problems) => throw new TraceFormatException(problems);
}
