using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Discovery.Tests.Supervision;

/// <summary>Whatever escapes a supervised loop, the loop is restarted after a backoff and never ends the host.</summary>
public sealed class SupervisedBackgroundServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_loop_that_throws_is_restarted_after_a_backoff_and_its_failures_show()
    {
        var health = new LoopHealth(_time, () => 0);
        using var loop = new FlakyLoop(health, _time, failures: 3);
        await loop.StartAsync(CancellationToken.None);

        await AdvanceUntilAsync(() => loop.Runs.Count == 4, "three restarts and a run that works");

        // Restarts follow the backoff: 0.5 s, then 1 s, then 2 s (jitter 0 is half of 1, 2, 4 s).
        var gaps = loop.Runs.Zip(loop.Runs.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Collection(gaps, g => Assert.InRange(g, 0.5, 0.6), g => Assert.InRange(g, 1, 1.1), g => Assert.InRange(g, 2, 2.1));
        Assert.False(loop.ExecuteTask!.IsFaulted);
        Assert.True(health.Track("flaky").Report().Healthy);
        Assert.Equal(3, health.Track("flaky").Report().TotalFailures);
        await loop.StopAsync(CancellationToken.None);
        Assert.True(loop.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_stop_during_the_backoff_ends_the_loop_at_once()
    {
        using var loop = new FlakyLoop(new LoopHealth(_time, () => 0), _time, failures: int.MaxValue);
        await loop.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(loop.Runs.Count == 1), "the first run");

        await loop.StopAsync(CancellationToken.None);

        Assert.True(loop.ExecuteTask!.IsCompletedSuccessfully);
    }

    /// <summary>Moves virtual time in 10 ms steps, giving the loop real time to react, until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string what)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"timed out: {what}");
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System);
        }
    }

    /// <summary>Throws on its first runs, then succeeds and waits until stopped (reporting a working pass).</summary>
    private sealed class FlakyLoop(LoopHealth health, TimeProvider time, int failures) : SupervisedBackgroundService("flaky", health)
    {
        private readonly List<DateTimeOffset> _runs = [];

        /// <summary>When each run began, on the test's clock.</summary>
        public IReadOnlyList<DateTimeOffset> Runs
        {
            get
            {
                lock (_runs)
                {
                    return [.. _runs];
                }
            }
        }

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            int run;
            lock (_runs)
            {
                _runs.Add(time.GetUtcNow());
                run = _runs.Count;
            }

            if (run <= failures)
            {
                throw new InvalidOperationException($"run {run} fails");
            }

            Status.Succeeded();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }
}
