using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class CanaryAnalysisTests
{
    private static readonly AnalysisSpec Spec = new();

    [Theory]
    [InlineData(1000, 5, 120.0, AnalysisVerdict.Pass, "passed: success rate 99.5% (5 errors of 1000) at or above 99%; p99 120ms at or below 500ms; p99 120ms within 1.5x the stable version's 100ms")]
    [InlineData(1000, 11, 120.0, AnalysisVerdict.Fail, "failed: success rate 98.9% (11 errors of 1000) below 99%")]
    [InlineData(1000, 0, 501.0, AnalysisVerdict.Fail, "failed: p99 501ms above 500ms; p99 501ms more than 1.5x the stable version's 100ms")]
    [InlineData(1000, 0, 151.0, AnalysisVerdict.Fail, "failed: p99 151ms more than 1.5x the stable version's 100ms")]
    [InlineData(1000, 0, 150.0, AnalysisVerdict.Pass, "p99 150ms within 1.5x")]
    [InlineData(19, 0, 10.0, AnalysisVerdict.Inconclusive, "19 requests to the new version in the interval, fewer than the 20 needed to judge")]
    [InlineData(19, 19, 9000.0, AnalysisVerdict.Inconclusive, "fewer than the 20 needed")]
    [InlineData(20, 0, 10.0, AnalysisVerdict.Pass, "passed")]
    public void Judges_the_new_version_on_its_own_numbers_and_against_the_stable(long requests, long errors, double p99, AnalysisVerdict verdict, string reason)
    {
        var result = CanaryAnalysis.Judge(Spec, new TrafficStats(requests, errors, p99), new TrafficStats(1000, 0, 100));

        Assert.Equal(verdict, result.Verdict);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_numbers_are_inconclusive_not_a_failure()
    {
        Assert.Equal(AnalysisVerdict.Inconclusive, CanaryAnalysis.Judge(Spec, null, null).Verdict);
        Assert.Equal(AnalysisVerdict.Inconclusive, CanaryAnalysis.Judge(Spec, new TrafficStats(500, 0, null), null).Verdict);
    }

    [Theory]
    [InlineData(10L)]
    [InlineData(0L)]
    public void The_ratio_to_the_stable_p99_applies_only_when_the_stable_had_enough_requests(long stableRequests)
    {
        var result = CanaryAnalysis.Judge(Spec, new TrafficStats(1000, 0, 300), new TrafficStats(stableRequests, 0, 50));

        Assert.Equal(AnalysisVerdict.Pass, result.Verdict);
        Assert.DoesNotContain("stable", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_come_from_the_spec()
    {
        var strict = Spec with { MinSuccessRate = 0.999, MaxP99 = TimeSpan.FromMilliseconds(50), MinRequests = 2 };

        var result = CanaryAnalysis.Judge(strict, new TrafficStats(1000, 2, 60), null);

        Assert.Equal("failed: success rate 99.8% (2 errors of 1000) below 99.9%; p99 60ms above 50ms", result.Reason);
    }

    [Theory]
    [InlineData(0, 917.5, AnalysisVerdict.Pass, "passed: success rate 100% (0 errors of 1000) at or above 99%; p99 917.5ms not judged in the new version's first interval (warming up)")]
    [InlineData(50, 917.5, AnalysisVerdict.Fail, "failed: success rate 95% (50 errors of 1000) below 99%")]
    public void A_warming_up_version_is_judged_on_its_errors_only(long errors, double p99, AnalysisVerdict verdict, string reason)
    {
        var result = CanaryAnalysis.Judge(Spec, new TrafficStats(1000, errors, p99), new TrafficStats(1000, 0, 14.3), warmingUp: true);

        Assert.Equal(verdict, result.Verdict);
        Assert.Equal(reason, result.Reason);
    }
}
