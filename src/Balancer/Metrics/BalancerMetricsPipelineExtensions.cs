using Microsoft.AspNetCore.Builder;

namespace Bollard.Balancer.Metrics;

internal static class BalancerMetricsPipelineExtensions
{
    /// <summary>Adds per-request metrics to YARP's pipeline; put it first so it sees every outcome.</summary>
    public static IReverseProxyApplicationBuilder UseBalancerMetrics(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<BalancerMetricsMiddleware>();
        return pipeline;
    }
}
