using Bollard.Balancer.Routing;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Primitives;

namespace Bollard.Agent;

/// <summary>
/// The balancer's routes: those of the applied specs as this agent's watch of the state store reads them (the scaler
/// does not know the balancer, nor the balancer the specs). Null, so that the balancer keeps the routes it serves,
/// until the store has answered.
/// </summary>
internal sealed class AppliedRouteSource(IAppliedSpecsSource applied) : IServiceRouteSource
{
    private volatile Converted? _last;

    public IReadOnlyList<ServiceRoute>? Current
    {
        get
        {
            if (applied.Current is not { } specs)
            {
                return null;
            }

            if (_last is { } last && ReferenceEquals(last.Specs, specs))
            {
                return last.Routes;
            }

            var converted = new Converted(specs, [.. AgentHost.RoutesOf(specs)]);
            _last = converted;
            return converted.Routes;
        }
    }

    public IChangeToken GetChangeToken() => applied.GetChangeToken();

    private sealed record Converted(IReadOnlyList<ServiceSpec> Specs, IReadOnlyList<ServiceRoute> Routes);
}
