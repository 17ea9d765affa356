using Bollard.Scaler.Runtime;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Tests.Traffic;

public sealed class CpuSamplerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CpuSampler _sampler = new(TimeSpan.FromSeconds(1));

    [Fact]
    public void The_first_pass_has_no_rate_and_the_second_averages_the_replicas()
    {
        Assert.Null(Pass(0, ("a", 0), ("b", 0)));

        // a used 0.8 s and b 0.2 s of CPU over 2 s: 40% and 10%.
        Assert.Equal(25.0, Pass(2_000, ("a", 800), ("b", 200))!.Value, 6);
    }

    [Fact]
    public void A_new_replica_makes_the_average_missing_until_it_has_a_rate_of_its_own()
    {
        Pass(0, ("a", 0));

        Assert.Null(Pass(1_000, ("a", 500), ("new", 0)));
        Assert.Equal(30.0, Pass(2_000, ("a", 900), ("new", 200))!.Value, 6);
    }

    [Fact]
    public void An_unread_replica_makes_the_average_missing_not_lower()
    {
        Pass(0, ("a", 0), ("b", 0));

        Assert.Null(_sampler.Advance("web", [("a", Sample(1_000, 500)), ("b", null)]));
    }

    [Fact]
    public void A_removed_replica_no_longer_counts()
    {
        Pass(0, ("a", 0), ("b", 0));

        Assert.Equal(50.0, Pass(1_000, ("a", 500))!.Value, 6);
    }

    [Fact]
    public void Passes_closer_than_the_minimum_window_keep_the_last_rate_and_its_baseline()
    {
        Pass(0, ("a", 0));
        Assert.Equal(50.0, Pass(1_000, ("a", 500))!.Value, 6);

        // 250 ms later, fully busy: too short a span to measure, the last rate stands...
        Assert.Equal(50.0, Pass(1_250, ("a", 750))!.Value, 6);

        // ...and the next rate is measured from the last baseline (1 s), not from the short pass: 0.75 s over 1 s.
        Assert.Equal(75.0, Pass(2_000, ("a", 1_250))!.Value, 6);
    }

    [Fact]
    public void A_restarted_container_starts_a_new_baseline()
    {
        Pass(0, ("a", 0));
        Pass(1_000, ("a", 5_000));

        Assert.Null(Pass(2_000, ("a", 100)));
        Assert.Equal(10.0, Pass(3_000, ("a", 200))!.Value, 6);
    }

    [Fact]
    public void Services_are_kept_apart_and_a_forgotten_one_starts_afresh()
    {
        Pass(0, ("a", 0));
        Assert.Null(_sampler.Advance("api", [("a", Sample(1_000, 900))]));
        Assert.Equal(50.0, Pass(1_000, ("a", 500))!.Value, 6);

        _sampler.Forget("web");

        Assert.Null(Pass(2_000, ("a", 1_000)));
    }

    [Fact]
    public void No_replica_has_no_average()
    {
        Assert.Null(_sampler.Advance("web", []));
    }

    /// <summary>One pass over service "web" at <paramref name="atMs"/>; each replica's usage is in CPU milliseconds.</summary>
    private double? Pass(int atMs, params (string Id, long UsedMs)[] replicas) =>
        _sampler.Advance("web", [.. replicas.Select(r => (r.Id, (ContainerCpuSample?)Sample(atMs, r.UsedMs)))]);

    private static ContainerCpuSample Sample(int atMs, long usedMs) => new((ulong)usedMs * 1_000_000, T0.AddMilliseconds(atMs));
}
