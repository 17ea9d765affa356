using Bollard.Balancer.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Shedding;

/// <summary>
/// Answers 503 with Retry-After at once when a service already has its limit of requests in progress, instead of
/// letting a queue grow until every request times out. Placed before retries, so a retried request holds one
/// slot for all its attempts.
/// </summary>
internal sealed class LoadSheddingMiddleware(
    RequestDelegate next, ConcurrencyLimiters limiters, BalancerMetrics metrics, IOptions<BalancerOptions> options)
{
    private readonly string _retryAfter = options.Value.Shedding.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task InvokeAsync(HttpContext context)
    {
        var service = ServiceNames.Of(context.GetReverseProxyFeature().Cluster.Config);
        var limiter = limiters.For(service);
        if (!limiter.TryEnter())
        {
            metrics.Shed(service);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers[HeaderNames.RetryAfter] = _retryAfter;
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            limiter.Exit();
        }
    }
}
