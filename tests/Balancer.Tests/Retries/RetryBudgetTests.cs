using Bollard.Balancer.Retries;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Balancer.Tests.Retries;

public sealed class RetryBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(0, 0, 0.2, 0, false)]
    [InlineData(0, 0, 0.2, 1, true)]
    [InlineData(100, 19, 0.2, 0, true)]
    [InlineData(100, 20, 0.2, 0, false)]
    [InlineData(100, 29, 0.2, 1, true)]
    [InlineData(100, 30, 0.2, 1, false)]
    public void The_rule_is_ratio_of_requests_plus_a_minimum_per_second(long requests, long retries, double ratio, int minPerSecond, bool allowed) =>
        Assert.Equal(allowed, RetryBudget.Allows(requests, retries, ratio, minPerSecond, 10));

    [Fact]
    public void Under_a_failure_storm_retries_stay_within_the_budget_over_every_window()
    {
        var budget = new RetryBudget(0.2, 1, _time.TimestampFrequency);
        var granted = new List<(TimeSpan At, bool Retry)>();
        var start = _time.GetUtcNow();
        // 50 requests a second for 60 s, every one failing and asking for a retry.
        for (var tick = 0; tick < 3000; tick++)
        {
            budget.RecordRequest(_time.GetTimestamp());
            if (budget.TryAcquire(_time.GetTimestamp()))
            {
                granted.Add((_time.GetUtcNow() - start, true));
            }

            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // Every 10-second window: at most 20% of its 500 requests plus 10.
        for (var from = 0; from <= 50; from++)
        {
            var inWindow = granted.Count(g => g.At >= TimeSpan.FromSeconds(from) && g.At < TimeSpan.FromSeconds(from + 10));
            Assert.InRange(inWindow, 0, 110);
        }

        // And the budget is used, not starved: about 20% overall.
        Assert.InRange(granted.Count, 550, 700);
    }

    [Fact]
    public void A_quiet_service_can_still_retry_its_minimum_and_old_retries_expire()
    {
        var budget = new RetryBudget(0.2, 1, _time.TimestampFrequency);
        var granted = 0;
        for (var i = 0; i < 20; i++)
        {
            granted += budget.TryAcquire(_time.GetTimestamp()) ? 1 : 0;
        }

        Assert.Equal(10, granted);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(budget.TryAcquire(_time.GetTimestamp()));
    }
}
