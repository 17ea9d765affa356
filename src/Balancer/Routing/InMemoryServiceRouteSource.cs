using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Routing;

/// <summary>A route source the host updates in place (from the loaded specs, or an applied change).</summary>
public sealed class InMemoryServiceRouteSource : IServiceRouteSource
{
    private volatile State _state;

    public InMemoryServiceRouteSource(IEnumerable<ServiceRoute> routes)
    {
        _state = new State([.. routes], new CancellationTokenSource());
    }

    public IReadOnlyList<ServiceRoute> Current => _state.Routes;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_state.Changed.Token);

    /// <summary>Replaces the routes; does nothing (and signals nothing) when they are the same.</summary>
    public void Update(IEnumerable<ServiceRoute> routes)
    {
        ServiceRoute[] next = [.. routes];
        if (next.SequenceEqual(_state.Routes))
        {
            return;
        }

        var previous = Interlocked.Exchange(ref _state, new State(next, new CancellationTokenSource()));
        previous.Changed.Cancel();
    }

    private sealed record State(IReadOnlyList<ServiceRoute> Routes, CancellationTokenSource Changed);
}
