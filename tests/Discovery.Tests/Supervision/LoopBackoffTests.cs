using Bollard.Discovery.Supervision;

namespace Bollard.Discovery.Tests.Supervision;

public sealed class LoopBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(1000, 30)]
    public void Doubles_up_to_the_cap_and_jitter_takes_at_most_half_of_it(int failures, int cappedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(cappedSeconds / 2.0), LoopBackoff.Delay(failures, First, Max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(cappedSeconds * 0.75), LoopBackoff.Delay(failures, First, Max, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(cappedSeconds), LoopBackoff.Delay(failures, First, Max, random: 1));
    }

    [Fact]
    public void Is_always_between_half_the_delay_and_the_cap()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var failures = random.Next(1, 100);
            var delay = LoopBackoff.Delay(failures, First, Max, random.NextDouble());
            Assert.InRange(delay, First / 2, Max);
        }
    }

    [Fact]
    public void Refuses_nonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopBackoff.Delay(0, First, Max, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopBackoff.Delay(1, TimeSpan.Zero, Max, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopBackoff.Delay(1, Max, First, 0.5));
    }
}
