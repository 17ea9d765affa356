using Bollard.Scaler.Health;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Health;

public sealed class StartupProbeTests
{
    private static readonly Uri Url = new("http://127.0.0.1:1/health");
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Probes_every_interval_until_the_first_pass()
    {
        var prober = new CountingProber(passFrom: 4);
        var start = _time.GetUtcNow();

        var (passed, probes) = await RunAsync(prober, startPeriod: TimeSpan.FromSeconds(60));

        Assert.True(passed);
        Assert.Equal(4, probes);
        Assert.Equal(TimeSpan.FromMilliseconds(300), _time.GetUtcNow() - start);
    }

    [Fact]
    public async Task Gives_up_at_the_end_of_the_start_period()
    {
        var prober = new CountingProber(passFrom: int.MaxValue);

        var (passed, probes) = await RunAsync(prober, startPeriod: TimeSpan.FromSeconds(1));

        Assert.False(passed);
        Assert.Equal(10, probes); // at 0, 100 ms... 900 ms; one more would start after the period
        Assert.Equal(probes, prober.Calls);
    }

    /// <summary>
    /// Runs the probe on virtual time, one interval at a time. Without a synchronization context the probe's
    /// continuation runs inside <see cref="FakeTimeProvider.Advance"/>, so each step is one probe, deterministically.
    /// </summary>
    private async Task<(bool, int)> RunAsync(CountingProber prober, TimeSpan startPeriod)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var run = StartupProbe.UntilPassingAsync(prober, Url, TimeSpan.FromSeconds(1), Every, startPeriod, _time, CancellationToken.None);
            for (var step = 0; step < 1000 && !run.IsCompleted; step++)
            {
                Assert.Equal(step + 1, prober.Calls);
                _time.Advance(Every);
            }

            Assert.True(run.IsCompleted, "the probe did not finish within 1000 intervals");
            return await run;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private sealed class CountingProber(int passFrom) : IReplicaProber
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<bool> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref _calls) >= passFrom);
    }
}
