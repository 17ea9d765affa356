using Bollard.Balancer;

namespace Bollard.Agent;

/// <summary>
/// The agent config's <c>balancer.outlierDetection</c> block: replicas failing real requests are ejected for a while.
/// Each field maps to the <c>BalancerOptions.OutlierDetection</c> setting of its name; null keeps the default.
/// </summary>
public sealed record OutlierDetectionConfig(
    bool? Enabled = null,
    int? ConsecutiveFailures = null,
    TimeSpan? BaseEjectionTime = null,
    TimeSpan? MaxEjectionTime = null,
    double? MaxEjectedShare = null)
{
    public void ApplyTo(BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var outliers = options.OutlierDetection;
        outliers.Enabled = Enabled ?? outliers.Enabled;
        outliers.ConsecutiveFailures = ConsecutiveFailures ?? outliers.ConsecutiveFailures;
        outliers.BaseEjectionTime = BaseEjectionTime ?? outliers.BaseEjectionTime;
        outliers.MaxEjectionTime = MaxEjectionTime ?? outliers.MaxEjectionTime;
        outliers.MaxEjectedShare = MaxEjectedShare ?? outliers.MaxEjectedShare;
    }
}
