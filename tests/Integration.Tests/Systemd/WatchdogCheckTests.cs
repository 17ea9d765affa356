using Bollard.Agent.Systemd;
using Bollard.Discovery.Supervision;

namespace Bollard.IntegrationTests.Systemd;

/// <summary>When the watchdog's heartbeat goes: only a pass running past the stall limit stops it, never a wait.</summary>
public sealed class WatchdogCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(null, 0, null)] // waiting between passes, however long since the last one
    [InlineData(10, 0, null)] // a pass under way for 10 s
    [InlineData(300, 0, null)] // exactly at the limit
    [InlineData(301, 0, "the reconcile loop is wedged: one pass has been running for 301 s (limit 300 s)")]
    [InlineData(null, 3, null)] // failing and backing off is not wedged: an outage must not get the agent restarted
    public void Only_a_pass_running_past_the_limit_is_wedged(int? passSecondsAgo, int failures, string? expected)
    {
        var report = new LoopReport(
            "reconcile",
            failures,
            failures,
            failures > 0 ? "Consul is down" : null,
            failures > 0 ? Now.AddMinutes(-30) : null,
            Now.AddHours(-1),
            Now.AddHours(-1),
            passSecondsAgo is { } ago ? Now.AddSeconds(-ago) : null);

        Assert.Equal(expected, WatchdogCheck.Wedged([report], Now, Limit));
    }

    [Fact]
    public void Any_wedged_loop_is_named()
    {
        LoopReport[] loops =
        [
            new("reconcile", 0, 0, null, null, Now, Now, null),
            new("routing", 0, 0, null, null, Now, Now, Now.AddMinutes(-6)),
        ];

        Assert.StartsWith("the routing loop is wedged", WatchdogCheck.Wedged(loops, Now, Limit), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pass_is_under_way_from_its_start_until_it_succeeds_or_fails()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var status = LoopHealth.Detached(time).Track("reconcile");

        status.BeginPass();
        Assert.Equal(Now, status.Report().PassStarted);
        status.Succeeded();
        Assert.Null(status.Report().PassStarted);

        status.BeginPass();
        status.Failed(new InvalidOperationException("boom"));
        Assert.Null(status.Report().PassStarted);
    }
}
