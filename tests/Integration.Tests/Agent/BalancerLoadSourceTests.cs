using Bollard.Agent;
using Bollard.Balancer.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The load the autoscaler reads from the balancer's window: a rise counts at once, a fall only once it lasts.</summary>
public sealed class BalancerLoadSourceTests
{
    [Theory]
    [InlineData(100, 100, 100)] // steady: both windows agree
    [InlineData(140, 200, 200)] // two seconds into a doubling: the short window sees it whole
    [InlineData(60, 0, 60)] // a stop two seconds ago: the long window still remembers the load
    public async Task The_rate_is_the_higher_of_the_long_and_the_short_window(double longRate, double shortRate, double expected)
    {
        var windows = new Dictionary<TimeSpan, double> { [BalancerLoadSource.Window] = longRate, [BalancerLoadSource.RecentWindow] = shortRate };
        var source = new BalancerLoadSource(new FixedRates(windows), new FakeTimeProvider());

        var load = await source.ReadAsync("web", replicas: 3, CancellationToken.None);

        Assert.Equal(expected, load!.RequestsPerSecond);
    }

    private sealed class FixedRates(Dictionary<TimeSpan, double> rates) : ITrafficWindow
    {
        public TrafficStats Read(string service, string? version, TimeSpan window) =>
            new(Requests: (long)(rates[window] * window.TotalSeconds), Errors: 0, RatePerSecond: rates[window], ErrorRate: 0, P50: TimeSpan.Zero, P95: TimeSpan.Zero, P99: TimeSpan.Zero, InFlight: 0);

        public IReadOnlyList<string> VersionsOf(string service) => [];
    }
}
