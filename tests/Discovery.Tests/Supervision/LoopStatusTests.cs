using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Discovery.Tests.Supervision;

public sealed class LoopStatusTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_run_of_failures_is_news_once_and_again_only_when_the_error_changes()
    {
        var status = new LoopHealth(_time, () => 0.5).Track("reconcile");

        Assert.True(status.Failed(new TimeoutException("consul")));
        Assert.False(status.Failed(new TimeoutException("consul again")));
        Assert.True(status.Failed(new InvalidOperationException("something else")));
        var report = status.Report();
        Assert.Equal(3, report.ConsecutiveFailures);
        Assert.Equal("something else", report.LastError);
        Assert.Equal(_time.GetUtcNow(), report.FailingSince);
        Assert.False(report.Healthy);
    }

    [Fact]
    public void A_success_ends_the_run_and_says_how_long_it_was()
    {
        var status = new LoopHealth(_time, () => 0.5).Track("reconcile");
        Assert.Equal(0, status.Succeeded());
        status.Failed(new TimeoutException("a"));
        status.Failed(new TimeoutException("b"));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(2, status.Succeeded());
        var report = status.Report();
        Assert.True(report.Healthy);
        Assert.Null(report.LastError);
        Assert.Null(report.FailingSince);
        Assert.Equal(2, report.TotalFailures);
        Assert.Equal(_time.GetUtcNow(), report.LastSuccess);
        Assert.True(status.Failed(new TimeoutException("c")), "a new run of failures is news again");
    }

    [Fact]
    public void The_backoff_grows_with_the_failures_in_a_row()
    {
        var status = new LoopHealth(_time, () => 1).Track("x");
        status.Failed(new TimeoutException());
        var first = status.Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        status.Failed(new TimeoutException());
        status.Failed(new TimeoutException());

        Assert.Equal(TimeSpan.FromSeconds(1), first);
        Assert.Equal(TimeSpan.FromSeconds(4), status.Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_health_lists_every_loop_by_name()
    {
        var health = new LoopHealth(_time, () => 0.5);
        health.Track("routing").Succeeded();
        health.Track("reconcile").Failed(new TimeoutException("x"));

        Assert.Equal(["reconcile", "routing"], health.Report().Select(r => r.Name));
        Assert.Same(health.Track("routing"), health.Track("routing"));
    }
}
