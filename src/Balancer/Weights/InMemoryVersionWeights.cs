using System.Collections.Immutable;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Weights;

/// <summary>
/// Weights set in process by the control plane of a single host. Starts empty (every service unsplit). Each change
/// swaps an immutable dictionary and then fires the change token; setting what is already there signals nothing.
/// </summary>
public sealed class InMemoryVersionWeights : IVersionWeightSource
{
    private readonly Lock _writeLock = new();
    private volatile State _state = new(ImmutableDictionary.Create<string, VersionWeights>(StringComparer.Ordinal), new CancellationTokenSource());

    public IReadOnlyDictionary<string, VersionWeights>? Current => _state.Weights;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_state.Changed.Token);

    /// <summary>Sets the split of <paramref name="service"/>, e.g. { "v1": 950, "v2": 50 }.</summary>
    /// <exception cref="ArgumentException">The weights are not within 0..1000 or do not sum to 1000.</exception>
    public void Set(string service, IReadOnlyDictionary<string, int> perMille)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var weights = new VersionWeights(perMille);
        Update(current => current.TryGetValue(service, out var existing) && existing.Equals(weights)
            ? current
            : current.SetItem(service, weights));
    }

    /// <summary>Removes the split of <paramref name="service"/>: its replicas share traffic evenly again.</summary>
    public void Clear(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        Update(current => current.Remove(service));
    }

    private void Update(Func<ImmutableDictionary<string, VersionWeights>, ImmutableDictionary<string, VersionWeights>> change)
    {
        State previous;
        lock (_writeLock)
        {
            var next = change(_state.Weights);
            if (ReferenceEquals(next, _state.Weights))
            {
                return;
            }

            previous = Interlocked.Exchange(ref _state, new State(next, new CancellationTokenSource()));
        }

        // After the swap, so a listener woken by the token reads the new weights.
        previous.Changed.Cancel();
    }

    private sealed record State(ImmutableDictionary<string, VersionWeights> Weights, CancellationTokenSource Changed);
}
