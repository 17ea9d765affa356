using System.Collections.Concurrent;
using Bollard.Balancer.Health;
using Bollard.Balancer.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Shedding;

/// <summary>
/// One limiter per service, its limit from the service's route or the default; limits follow route changes.
/// </summary>
internal sealed class ConcurrencyLimiters : IDisposable
{
    private readonly IServiceRouteSource _routes;
    private readonly int _default;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public ConcurrencyLimiters(IServiceRouteSource routes, IOptions<BalancerOptions> options)
    {
        _routes = routes;
        _default = options.Value.Shedding.MaxConcurrentRequests;
        _subscription = ChangeToken.OnChange(routes.GetChangeToken, Refresh);
    }

    public ConcurrencyLimiter For(string service) =>
        _limiters.TryGetValue(service, out var limiter)
            ? limiter
            : _limiters.GetOrAdd(service, static (name, self) => new ConcurrencyLimiter(self.LimitOf(name)), this);

    public void Dispose() => _subscription.Dispose();

    private int LimitOf(string service) => ServiceRouteSettings.Find(_routes, service)?.MaxConcurrentRequests ?? _default;

    private void Refresh()
    {
        foreach (var (service, limiter) in _limiters)
        {
            limiter.Limit = LimitOf(service);
        }
    }
}
