using Bollard.Balancer.Routing;

namespace Bollard.Balancer.Tests.Routing;

public sealed class RebuildPacingTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(15);

    [Theory]
    [InlineData(null, 0)]
    [InlineData(15, 0)]
    [InlineData(500, 0)]
    [InlineData(0, 15)]
    [InlineData(10, 5)]
    public void A_change_waits_only_for_what_is_left_of_the_debounce_since_the_last_rebuild(int? sinceMs, int expectedMs) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(expectedMs),
            RebuildPacing.Wait(Debounce, sinceMs is { } since ? TimeSpan.FromMilliseconds(since) : null));

    [Fact]
    public void A_zero_debounce_never_waits() =>
        Assert.Equal(TimeSpan.Zero, RebuildPacing.Wait(TimeSpan.Zero, TimeSpan.Zero));
}
