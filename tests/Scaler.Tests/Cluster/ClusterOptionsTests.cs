using Bollard.Scaler.Cluster;

namespace Bollard.Scaler.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new ClusterOptions().Validate());

    [Fact]
    public void A_session_ttl_outside_consuls_bounds_is_named()
    {
        var errors = new ClusterOptions { SessionTtl = TimeSpan.FromSeconds(5) }.Validate();

        Assert.Contains(errors, e => e.Contains("SessionTtl", StringComparison.Ordinal) && e.Contains("[10 s, 24 h]", StringComparison.Ordinal));
    }

    [Fact]
    public void Staleness_must_leave_room_for_a_late_report()
    {
        var errors = new ClusterOptions { PublishInterval = TimeSpan.FromSeconds(10), StaleAfter = TimeSpan.FromSeconds(15) }.Validate();

        Assert.Contains(errors, e => e.Contains("StaleAfter", StringComparison.Ordinal) && e.Contains("twice PublishInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void The_liveness_ttl_must_leave_room_for_a_late_heartbeat()
    {
        var errors = new ClusterOptions { HeartbeatInterval = TimeSpan.FromSeconds(2), AliveTtl = TimeSpan.FromSeconds(3) }.Validate();

        Assert.Contains(errors, e => e.Contains("AliveTtl", StringComparison.Ordinal) && e.Contains("twice HeartbeatInterval", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void A_lock_delay_outside_consuls_bounds_is_named(int seconds)
    {
        var errors = new ClusterOptions { LeaderLockDelay = TimeSpan.FromSeconds(seconds) }.Validate();

        Assert.Contains(errors, e => e.Contains("LeaderLockDelay", StringComparison.Ordinal) && e.Contains("[0, 60 s]", StringComparison.Ordinal));
    }

    [Fact]
    public void The_lease_ends_a_heartbeat_before_the_liveness_check_can_fail()
    {
        var options = new ClusterOptions();

        Assert.Equal(TimeSpan.FromSeconds(2), options.LeaseLength);
        Assert.True(options.LeaseLength + options.HeartbeatInterval <= options.AliveTtl);
    }
}
