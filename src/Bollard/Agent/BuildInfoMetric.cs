using Prometheus;

namespace Bollard.Agent;

/// <summary>
/// bollard_build_info: 1, with what this build is as labels (the Prometheus convention), so dashboards can show which
/// versions run where and alerts can join on it.
/// </summary>
internal static class BuildInfoMetric
{
    public static void Publish(IMetricFactory factory)
    {
        var build = BuildInfo.Current;
        factory.CreateGauge("bollard_build_info", "1, labelled with the version, git commit and .NET runtime of this bollard.", ["version", "commit", "runtime"])
            .WithLabels(build.Version, build.Commit, build.Runtime)
            .Set(1);
    }
}
