using System.Diagnostics;
using Bollard.Balancer.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>
/// Records every routing snapshot the agent's balancer publishes for one service (destinations per version and the
/// weights), with the time since recording began. It follows the provider's change token, so nothing polls; a test
/// puts the timeline in its failure message, which shows when and how routing went wrong.
/// </summary>
internal sealed class RoutingTimeline : IDisposable
{
    private const int MaxEntries = 200;

    private readonly SnapshotProxyConfigProvider _provider;
    private readonly string _service;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _entries = [];
    private readonly IDisposable _subscription;
    private string? _last;

    public RoutingTimeline(IServiceProvider services, string service)
    {
        _provider = services.GetRequiredService<SnapshotProxyConfigProvider>();
        _service = service;
        _subscription = ChangeToken.OnChange(() => _provider.GetConfig().ChangeToken, Record);
        Record();
    }

    /// <summary>True when the service was routed with no destination at some point.</summary>
    public bool WasEverEmpty { get; private set; }

    /// <summary>Destinations of <paramref name="version"/> the balancer routes to now.</summary>
    public int Routed(string version) => _provider.Snapshot.Find(_service)?.Destinations.Count(d => d.Version == version) ?? 0;

    public override string ToString()
    {
        lock (_entries)
        {
            return string.Join(" | ", _entries);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void Record()
    {
        var routing = _provider.Snapshot.Find(_service);
        var versions = routing is null ? "not routed"
            : string.Join(" ", routing.Destinations.GroupBy(d => d.Version[..Math.Min(6, d.Version.Length)]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}x{g.Count()}"));
        var now = routing is null ? versions : $"[{versions}] weights {routing.Weights?.ToString() ?? "none"}";
        lock (_entries)
        {
            if (now == _last)
            {
                return;
            }

            _last = now;
            WasEverEmpty |= routing is { Destinations.IsEmpty: true } && _entries.Count > 0;
            if (_entries.Count < MaxEntries)
            {
                _entries.Add($"{_clock.Elapsed.TotalSeconds:0.00}s {now}");
            }
        }
    }
}
