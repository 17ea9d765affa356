using Bollard.Scaler.Placement;

namespace Bollard.Scaler.Tests.Placement;

public sealed class ExpectedAvailabilityTests
{
    [Theory]
    [InlineData(new[] { 3 }, 0.99, 0.99)]
    [InlineData(new[] { 3, 3 }, 0.99, 0.9999)]
    [InlineData(new[] { 1, 5, 2 }, 0.99, 0.999999)]
    [InlineData(new[] { 4, 0, 0 }, 0.99, 0.99)] // a zone with no healthy replica adds nothing
    [InlineData(new int[0], 0.99, 0)]
    [InlineData(new[] { 0, 0 }, 0.99, 0)]
    [InlineData(new[] { 2, 2 }, 0.9, 0.99)]
    [InlineData(new[] { 2, 2 }, 1.0, 1.0)]
    [InlineData(new[] { 2, 2 }, 0.0, 0.0)]
    public void Parallel_redundancy_over_the_zones_holding_a_healthy_replica(int[] healthy, double zone, double expected)
    {
        var perZone = healthy.Select((count, i) => (count, i)).ToDictionary(z => $"z{z.i}", z => z.count);

        Assert.Equal(expected, ExpectedAvailability.Compute(perZone, zone), 12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void An_availability_outside_zero_to_one_is_refused(double zone)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedAvailability.Compute(new Dictionary<string, int> { ["z"] = 1 }, zone));
    }
}
