namespace Bollard.Scaler.Simulation;

/// <summary>
/// Where each column of a trace is. Without a header the order is <c>time,rps[,p95_ms][,cpu]</c>; a header line
/// (the first line, starting with <c>time</c>) may name the columns in any order and leave the optional ones out.
/// </summary>
internal sealed record TraceColumns(int Time, int Rps, int? P95, int? Cpu, int Count)
{
    public const string Expected = "time,rps[,p95_ms][,cpu]";

    private static readonly string[] Known = ["time", "rps", "p95_ms", "cpu"];

    /// <summary>The positional layout for a row of <paramref name="count"/> fields.</summary>
    public static TraceColumns Positional(int count) =>
        new(0, 1, count > 2 ? 2 : null, count > 3 ? 3 : null, count);

    public static bool IsHeader(string[] fields) =>
        fields.Length > 0 && fields[0].Trim().Equals("time", StringComparison.OrdinalIgnoreCase);

    /// <summary>The layout a header names, or a message saying what is wrong with it.</summary>
    public static (TraceColumns? Columns, string? Problem) FromHeader(string[] fields)
    {
        var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        if (names.FirstOrDefault(n => !Known.Contains(n)) is { } unknown)
        {
            return (null, $"unknown column '{unknown}' in the header (columns: {Expected})");
        }

        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return (null, $"column '{twice.Key}' appears twice in the header");
        }

        if (!names.Contains("rps"))
        {
            return (null, $"the header has no 'rps' column (columns: {Expected})");
        }

        int? Index(string name) => names.IndexOf(name) is >= 0 and var i ? i : null;
        return (new TraceColumns(0, Index("rps")!.Value, Index("p95_ms"), Index("cpu"), names.Count), null);
    }
}
