using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bollard.Scaler.Simulation;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>What <c>bollard simulate</c> prints: a summary table and the replica timeline, or the same as JSON. With
/// two policies, side by side with the differences (second minus first).</summary>
internal static class SimulationReport
{
    public static string Table(LoadTrace trace, TimeSpan startDelay, IReadOnlyList<SimulationResult> results)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.Append(Inv($"Trace {trace.Source}: {trace.Points.Length} rows over {Seconds(trace.Duration)}s; replica start delay {Durations.Format(startDelay)}.\n\n"));
        var headers = new List<string> { "METRIC" };
        headers.AddRange(results.Select(r => $"{r.Source} ({r.Service})"));
        if (results.Count == 2)
        {
            headers.Add("DIFFERENCE");
        }

        text.Append(CliTable.Format(headers, Metrics.Select(m => Row(m, results))));
        text.Append('\n');
        text.Append(results.Count == 1 ? Timeline(results[0]) : MergedTimeline(results));
        return text.ToString();
    }

    public static string Json(LoadTrace trace, TimeSpan startDelay, IReadOnlyList<SimulationResult> results)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(results);
        var report = new
        {
            Trace = new { trace.Source, Rows = trace.Points.Length, DurationSeconds = trace.Duration.TotalSeconds, Start = trace.Start },
            StartDelaySeconds = startDelay.TotalSeconds,
            Policies = results.Select(r => new
            {
                r.Service,
                r.Source,
                r.InitialReplicas,
                r.ReplicaSeconds,
                r.AverageReplicas,
                r.PeakReplicas,
                r.SecondsAboveTarget,
                r.RequestsAboveTarget,
                r.ScaleEvents,
                r.LargestStep,
                Decisions = r.Passes,
                Timeline = r.Changes.Select(c => new { AtSeconds = c.At.TotalSeconds, c.From, c.To, c.Rps, c.Rule, c.Reason }),
            }),
            Differences = results.Count == 2 ? Metrics.ToDictionary(m => m.Key, m => m.Value(results[1]) - m.Value(results[0])) : null,
        };
        return JsonSerializer.Serialize(report, JsonOptions) + "\n";
    }

    // Reasons hold '->' and '+': printed as they are, not as \u escapes (the output is for a terminal or a file, not HTML).
    private static readonly JsonSerializerOptions JsonOptions = new(CliJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Metric(string Key, string Label, Func<SimulationResult, double> Value, string Format);

    private static readonly Metric[] Metrics =
    [
        new("replicaSeconds", "replica-seconds", r => r.ReplicaSeconds, "0.#"),
        new("averageReplicas", "average replicas", r => r.AverageReplicas, "0.##"),
        new("peakReplicas", "peak replicas", r => r.PeakReplicas, "0"),
        new("secondsAboveTarget", "seconds above target", r => r.SecondsAboveTarget, "0.##"),
        new("requestsAboveTarget", "requests above target", r => r.RequestsAboveTarget, "0"),
        new("scaleEvents", "scale events", r => r.ScaleEvents, "0"),
        new("largestStep", "largest step", r => r.LargestStep, "0"),
    ];

    private static List<string> Row(Metric metric, IReadOnlyList<SimulationResult> results)
    {
        var row = new List<string> { metric.Label };
        row.AddRange(results.Select(r => metric.Value(r).ToString(metric.Format, CultureInfo.InvariantCulture)));
        if (results.Count == 2)
        {
            row.Add(Difference(metric.Value(results[0]), metric.Value(results[1]), metric.Format));
        }

        return row;
    }

    private static string Difference(double first, double second, string format)
    {
        var change = second - first;
        var signed = change.ToString("+" + format + ";-" + format + ";0", CultureInfo.InvariantCulture);
        return first == 0 || change == 0 ? signed : Inv($"{signed} ({change / first * 100:+0.#;-0.#}%)");
    }

    private static string Timeline(SimulationResult result) =>
        result.Changes.Length == 0
            ? $"The count stayed at {result.InitialReplicas}.\n"
            : CliTable.Format(
                ["T+SECONDS", "RPS", "REPLICAS", "RULE"],
                result.Changes.Select(c => (IReadOnlyList<string>)[Seconds(c.At), Inv($"{c.Rps:0.##}"), Inv($"{c.From} -> {c.To}"), c.Rule]));

    /// <summary>One row per moment either policy changed its count, with both counts then.</summary>
    private static string MergedTimeline(IReadOnlyList<SimulationResult> results)
    {
        var moments = results.SelectMany(r => r.Changes.Select(c => (c.At, c.Rps))).DistinctBy(m => m.At).OrderBy(m => m.At).ToList();
        if (moments.Count == 0)
        {
            return "Neither count changed.\n";
        }

        var headers = new List<string> { "T+SECONDS", "RPS" };
        headers.AddRange(results.Select(r => r.Source));
        return CliTable.Format(headers, moments.Select(m => (IReadOnlyList<string>)[
            Seconds(m.At), Inv($"{m.Rps:0.##}"), .. results.Select(r => Cell(r, m.At))]));
    }

    private static string Cell(SimulationResult result, TimeSpan at) =>
        result.Changes.FirstOrDefault(c => c.At == at) is { } change
            ? Inv($"{change.From} -> {change.To}")
            : result.ReplicasAt(at).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan at) => at.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
