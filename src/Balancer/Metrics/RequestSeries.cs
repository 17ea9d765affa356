using Prometheus;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// The Prometheus series one (service, version, zone) records into, resolved once: the request counter of each
/// status class (created on first use) and the duration histogram. Recording is then a few array reads and
/// Interlocked operations, with no label lookup.
/// </summary>
internal sealed class RequestSeries(Func<string, Counter.Child> requestsOfCodeClass, Histogram.Child duration)
{
    // 1xx..5xx, then "other"; filled lazily so that a series never seen with an error has no 5xx counter.
    private readonly Counter.Child?[] _requests = new Counter.Child?[6];

    public void Record(int statusCode, TimeSpan elapsed)
    {
        var index = IndexOf(statusCode);
        var counter = _requests[index] ??= requestsOfCodeClass(BalancerMetrics.CodeClassOf(statusCode));
        counter.Inc();
        duration.Observe(elapsed.TotalSeconds);
    }

    private static int IndexOf(int statusCode) => statusCode is >= 100 and < 600 ? (statusCode / 100) - 1 : 5;
}
