namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// The randomness of picking, injected so that tests can replay a seeded sequence. Implementations used by the
/// proxy must be thread-safe and cheap: every request draws two to four numbers.
/// </summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>).</summary>
    int NextInt32(int maxExclusive);
}

/// <summary>The process-wide <see cref="Random.Shared"/>: thread-safe without locks.</summary>
internal sealed class SharedRandomSource : IRandomSource
{
    public int NextInt32(int maxExclusive) => Random.Shared.Next(maxExclusive);
}
