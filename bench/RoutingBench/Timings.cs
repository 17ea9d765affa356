using System.Diagnostics;
using System.Globalization;

namespace Bollard.Bench.Routing;

/// <summary>Durations of repeated trials, summarised as median, p99 and max in milliseconds.</summary>
internal sealed class Timings
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public void Add(long startTimestamp, long endTimestamp) =>
        _ms.Add(Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMilliseconds);

    public double Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _ms.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public string Row(string what) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {what,-62} | {Count,4} | {Percentile(50),8:F2} | {Percentile(99),8:F2} | {_ms.DefaultIfEmpty(double.NaN).Max(),8:F2} |");

    public static string Header =>
        "| what (time from the catalog change)                            |    n |   median |      p99 |      max |\n" +
        "|----------------------------------------------------------------|------|----------|----------|----------|";
}
