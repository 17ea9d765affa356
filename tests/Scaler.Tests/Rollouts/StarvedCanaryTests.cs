using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class StarvedCanaryTests
{
    private static readonly AnalysisSpec Spec = new();

    [Fact]
    public void A_canary_with_weight_but_almost_no_requests_fails()
    {
        var result = CanaryAnalysis.Judge(Spec, new TrafficStats(0, 0, null), new TrafficStats(800, 0, 20), newWeightPerMille: 200);

        Assert.Equal(AnalysisVerdict.Fail, result.Verdict);
        Assert.Contains("ejected", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 800)]
    [InlineData(200, 100)]
    public void Too_little_traffic_overall_or_no_weight_stays_inconclusive(int weight, long stableRequests)
    {
        var result = CanaryAnalysis.Judge(Spec, new TrafficStats(0, 0, null), new TrafficStats(stableRequests, 0, 20), weight);

        Assert.Equal(AnalysisVerdict.Inconclusive, result.Verdict);
    }

    [Fact]
    public void A_canary_getting_its_share_is_judged_on_its_numbers()
    {
        var result = CanaryAnalysis.Judge(Spec, new TrafficStats(200, 0, 30), new TrafficStats(800, 0, 20), newWeightPerMille: 200);

        Assert.Equal(AnalysisVerdict.Pass, result.Verdict);
    }
}
