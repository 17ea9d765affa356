using System.Runtime.CompilerServices;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Retries;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Shedding;
using Prometheus;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Pipeline;

/// <summary>
/// Everything the request step needs for one service, resolved once: its name, concurrency limiter, retry budget,
/// in-flight gauge, and the traffic record of each destination config it has answered from. A request reads these
/// fields instead of looking the service up in four dictionaries by name.
/// </summary>
internal sealed class ServiceRequestState
{
    private readonly BalancerMetrics _metrics;
    private readonly TrafficWindows _windows;

    // Keyed by the destination's config: a config change (new version or zone) is a new key, and a config YARP no
    // longer holds is collected with its entry.
    private readonly ConditionalWeakTable<DestinationConfig, DestinationTraffic> _destinations = [];
    private readonly DestinationTraffic _none;

    public ServiceRequestState(string service, ConcurrencyLimiters limiters, RetryBudgets budgets, BalancerMetrics metrics, TrafficWindows windows)
    {
        Service = service;
        Limiter = limiters.For(service);
        Budget = budgets.For(service);
        InFlight = metrics.InFlightGauge(service);
        _metrics = metrics;
        _windows = windows;
        _none = new DestinationTraffic(metrics.SeriesOf(service, BalancerMetrics.None, BalancerMetrics.None), service, BalancerMetrics.None, windows);
    }

    public string Service { get; }

    public ConcurrencyLimiter Limiter { get; }

    public RetryBudget Budget { get; }

    public Gauge.Child InFlight { get; }

    /// <summary>The HTTPS port plain HTTP requests of this service are redirected to; null (the usual case): none are.</summary>
    public int? HttpsRedirectPort { get; init; }

    /// <summary>Where to record a request answered by <paramref name="destination"/>; null: it reached no replica.</summary>
    public DestinationTraffic TrafficOf(DestinationConfig? destination)
    {
        if (destination is null)
        {
            return _none;
        }

        return _destinations.TryGetValue(destination, out var traffic)
            ? traffic
            : _destinations.GetValue(destination, config => new DestinationTraffic(
                _metrics.SeriesOf(Service, MetadataOf(config, BalancerMetadata.Version), MetadataOf(config, BalancerMetadata.Zone)),
                Service,
                ServiceNames.VersionOf(config),
                _windows));
    }

    private static string MetadataOf(DestinationConfig config, string key) =>
        config.Metadata is not null && config.Metadata.TryGetValue(key, out var value) ? value : string.Empty;
}
