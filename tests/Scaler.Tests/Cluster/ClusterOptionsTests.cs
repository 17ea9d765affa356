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
}
