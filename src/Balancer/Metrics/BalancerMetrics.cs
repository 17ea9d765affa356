using System.Collections.Concurrent;
using Prometheus;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// Per-request metrics the scaler and rollout analysis read. Labels are bounded by configuration (services,
/// versions, zones, five status classes), never by replicas: a container id as a label would grow without end.
/// </summary>
internal sealed partial class BalancerMetrics
{
    /// <summary>Version and zone label of a request that reached no replica (e.g. 503: none healthy).</summary>
    public const string None = "none";

    /// <summary>Label for a replica that reported no zone or version.</summary>
    public const string Unknown = "unknown";

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Gauge _inFlight;
    private readonly Counter _ejections;
    private readonly Counter _retries;
    private readonly Counter _retriesDenied;
    private readonly Counter _shed;
    private readonly Counter _accessLogDropped;
    private readonly Counter _rateLimited;

    // The per-request series, resolved once per label set: WithLabels allocates its label array and looks the child up
    // on every call, which the proxy's request path should not pay. Label values are bounded (services, versions,
    // zones, five status classes), so the caches are too.
    private readonly ConcurrentDictionary<string, Gauge.Child> _inFlightByService = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Service, string Version, string Zone, string CodeClass), Counter.Child> _requestsBySeries = new();
    private readonly ConcurrentDictionary<(string Service, string Version), Histogram.Child> _durationBySeries = new();

    public BalancerMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);

        _requests = factory.CreateCounter(
            "bollard_balancer_requests_total",
            "Requests the balancer answered, by service, replica version and zone, and status class.",
            ["service", "version", "zone", "code_class"]);

        _duration = factory.CreateHistogram(
            "bollard_balancer_request_duration_seconds",
            "Time from the balancer receiving a request to finishing its response, by service and version.",
            ["service", "version"],
            // 1 ms to about 16 s, doubling: fine enough near typical latencies, and bounded.
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });

        _inFlight = factory.CreateGauge(
            "bollard_balancer_in_flight_requests",
            "Requests the balancer is processing now, by service.",
            ["service"]);

        _ejections = factory.CreateCounter(
            "bollard_balancer_ejections_total",
            "Replicas ejected by outlier detection (consecutive 5xx or connection failures), by service.",
            ["service"]);

        _retries = factory.CreateCounter(
            "bollard_balancer_retries_total",
            "Requests sent again to another replica, by service and reason (connect, connection, timeout, unavailable).",
            ["service", "reason"]);

        _retriesDenied = factory.CreateCounter(
            "bollard_balancer_retries_denied_total",
            "Retries the retry budget refused, by service.",
            ["service"]);

        _shed = factory.CreateCounter(
            "bollard_balancer_shed_requests_total",
            "Requests answered 503 at once because the service was at its concurrency limit, by service.",
            ["service"]);

        _rateLimited = factory.CreateCounter(
            "bollard_balancer_rate_limited_requests_total",
            "Requests answered 429 because their client was over the route's rate limit, by service.",
            ["service"]);

        _accessLogDropped = factory.CreateCounter(
            "bollard_balancer_access_log_dropped_total",
            "Access log lines dropped because the listener's queue was full (the log's disk slower than the traffic) or its file could not be written, by listener port.",
            ["listener"]);
    }

    public void RequestStarted(string service) => InFlightOf(service).Inc();

    /// <summary>The in-flight gauge of a service, for callers that keep it (see <see cref="SeriesOf"/>).</summary>
    public Gauge.Child InFlightGauge(string service) => InFlightOf(service);

    /// <summary>
    /// The request series of one service, replica version and zone (empty: "unknown"), for callers that keep it
    /// instead of passing labels on every request. Records into the same series as <see cref="RequestFinished"/>.
    /// </summary>
    public RequestSeries SeriesOf(string service, string version, string zone)
    {
        var versionLabel = LabelOf(version);
        var zoneLabel = LabelOf(zone);
        return new RequestSeries(
            codeClass => _requestsBySeries.GetOrAdd(
                (service, versionLabel, zoneLabel, codeClass),
                static (key, requests) => requests.WithLabels(key.Service, key.Version, key.Zone, key.CodeClass),
                _requests),
            _durationBySeries.GetOrAdd(
                (service, versionLabel),
                static (key, duration) => duration.WithLabels(key.Service, key.Version),
                _duration));
    }

    public void RequestFinished(string service, string version, string zone, int statusCode, TimeSpan elapsed)
    {
        InFlightOf(service).Dec();
        var versionLabel = LabelOf(version);
        _requestsBySeries.GetOrAdd(
            (service, versionLabel, LabelOf(zone), CodeClassOf(statusCode)),
            static (key, requests) => requests.WithLabels(key.Service, key.Version, key.Zone, key.CodeClass),
            _requests).Inc();
        _durationBySeries.GetOrAdd(
            (service, versionLabel),
            static (key, duration) => duration.WithLabels(key.Service, key.Version),
            _duration).Observe(elapsed.TotalSeconds);
    }

    private Gauge.Child InFlightOf(string service) =>
        _inFlightByService.GetOrAdd(service, static (name, gauge) => gauge.WithLabels(name), _inFlight);

    public void Ejected(string service) => _ejections.WithLabels(service).Inc();

    public void Retried(string service, string reason) => _retries.WithLabels(service, reason).Inc();

    public void RetryDenied(string service) => _retriesDenied.WithLabels(service).Inc();

    public void Shed(string service) => _shed.WithLabels(service).Inc();

    public void RateLimited(string service) => _rateLimited.WithLabels(service).Inc();

    public void AccessLogDropped(int port, long lines) =>
        _accessLogDropped.WithLabels(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc(lines);

    internal double Ejections(string service) => _ejections.WithLabels(service).Value;

    internal double Retries(string service, string reason) => _retries.WithLabels(service, reason).Value;

    internal double RetriesDenied(string service) => _retriesDenied.WithLabels(service).Value;

    internal double ShedCount(string service) => _shed.WithLabels(service).Value;

    internal double RequestCount(string service, string version, string zone, string codeClass) =>
        _requests.WithLabels(service, version, zone, codeClass).Value;

    internal long DurationCount(string service, string version) => _duration.WithLabels(service, version).Count;

    internal double InFlight(string service) => _inFlight.WithLabels(service).Value;

    /// <summary>"2xx" for 200-299 and so on; anything outside 100-599 is "other", so the label stays bounded.</summary>
    internal static string CodeClassOf(int statusCode) => statusCode switch
    {
        >= 100 and < 200 => "1xx",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    private static string LabelOf(string value) => string.IsNullOrEmpty(value) ? Unknown : value;
}
