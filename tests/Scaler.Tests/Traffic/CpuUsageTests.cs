using Bollard.Scaler.Runtime;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Tests.Traffic;

public sealed class CpuUsageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(500_000_000UL, 1000, 50.0)] // half a second of CPU in a second: half a core
    [InlineData(2_000_000_000UL, 1000, 200.0)] // two cores busy
    [InlineData(0UL, 1000, 0.0)] // idle
    [InlineData(100_000_000UL, 2000, 5.0)]
    public void The_usage_between_two_samples_over_their_wall_time_is_the_percent_of_one_core(ulong used, int wallMs, double expected)
    {
        var previous = new ContainerCpuSample(7_000_000_000, T0);
        var current = new ContainerCpuSample(7_000_000_000 + used, T0.AddMilliseconds(wallMs));

        Assert.Equal(expected, CpuUsage.PercentOfOneCore(previous, current)!.Value, 6);
    }

    [Fact]
    public void No_time_between_the_samples_gives_no_rate()
    {
        var sample = new ContainerCpuSample(1_000, T0);

        Assert.Null(CpuUsage.PercentOfOneCore(sample, sample with { TotalUsageNanoseconds = 2_000 }));
        Assert.Null(CpuUsage.PercentOfOneCore(sample, sample with { ReadAt = T0.AddSeconds(-1) }));
    }

    [Fact]
    public void A_counter_that_went_back_gives_no_rate()
    {
        Assert.Null(CpuUsage.PercentOfOneCore(new ContainerCpuSample(5_000, T0), new ContainerCpuSample(1_000, T0.AddSeconds(1))));
    }
}
