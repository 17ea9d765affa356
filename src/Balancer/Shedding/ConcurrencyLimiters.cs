using System.Collections.Concurrent;
using Bollard.Balancer.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Shedding;

/// <summary>
/// One limiter per service, its limit from the service's route (as the published routing snapshot carries it, so a
/// snapshot restored from disk brings its limits too) or the default; limits follow each publish and each change of
/// the balancer's settings (a reload).
/// </summary>
internal sealed class ConcurrencyLimiters : IDisposable
{
    private readonly SnapshotProxyConfigProvider _snapshots;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private readonly IDisposable? _settingsSubscription;
    private volatile int _default;

    public ConcurrencyLimiters(SnapshotProxyConfigProvider snapshots, IOptionsMonitor<BalancerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _snapshots = snapshots;
        _default = options.CurrentValue.Shedding.MaxConcurrentRequests;
        _subscription = ChangeToken.OnChange(() => snapshots.GetConfig().ChangeToken, Refresh);
        _settingsSubscription = options.OnChange(changed =>
        {
            _default = changed.Shedding.MaxConcurrentRequests;
            Refresh();
        });
    }

    public ConcurrencyLimiter For(string service) =>
        _limiters.TryGetValue(service, out var limiter)
            ? limiter
            : _limiters.GetOrAdd(service, static (name, self) => new ConcurrencyLimiter(self.LimitOf(name)), this);

    public void Dispose()
    {
        _subscription.Dispose();
        _settingsSubscription?.Dispose();
    }

    private int LimitOf(string service) => _snapshots.Snapshot.Find(service)?.Settings.MaxConcurrentRequests ?? _default;

    private void Refresh()
    {
        foreach (var (service, limiter) in _limiters)
        {
            limiter.Limit = LimitOf(service);
        }
    }
}
