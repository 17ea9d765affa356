using Bollard.Balancer.LoadBalancing;

namespace Bollard.Balancer.Tests.TestDoubles;

/// <summary>A replayable random source: the same seed gives the same picks.</summary>
internal sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public int NextInt32(int maxExclusive) => _random.Next(maxExclusive);
}
