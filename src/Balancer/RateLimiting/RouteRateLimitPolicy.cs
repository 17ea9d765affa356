using System.Globalization;
using System.Threading.RateLimiting;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.RateLimiting;

/// <summary>
/// The one ASP.NET Core rate limiter policy of every route with <c>rateLimit</c> (YARP names it on the route): a token
/// bucket per service and client, sized by the route's setting in the published routing snapshot. The partition key
/// holds the setting, so a changed limit starts fresh buckets and the old ones are dropped when idle.
/// </summary>
internal sealed class RouteRateLimitPolicy(SnapshotProxyConfigProvider snapshots, BalancerMetrics metrics) : IRateLimiterPolicy<RateLimitKey>
{
    public const string Name = "bollard-route";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => Reject;

    public RateLimitPartition<RateLimitKey> GetPartition(HttpContext httpContext)
    {
        var service = httpContext.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata?.GetValueOrDefault(BalancerMetadata.Service);
        if (service is null || snapshots.Snapshot.Find(service)?.Settings.RateLimit is not { } limit)
        {
            return RateLimitPartition.GetNoLimiter(RateLimitKey.None);
        }

        var key = new RateLimitKey(service, ClientOf(httpContext, limit.Header), limit.PerSecond, limit.Burst);
        return RateLimitPartition.GetTokenBucketLimiter(key, static k => new TokenBucketRateLimiterOptions
        {
            TokenLimit = k.Burst,
            TokensPerPeriod = k.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0, // no queue: a client over its rate is told at once when to come back
            AutoReplenishment = true,
        });
    }

    /// <summary>The header's value when the route limits by a header and the request has it; else the client's address.</summary>
    internal static string ClientOf(HttpContext context, string? header) =>
        header is not null && context.Request.Headers[header].ToString() is { Length: > 0 } value
            ? "h:" + value
            : "a:" + (context.Connection.RemoteIpAddress?.ToString() ?? "");

    private ValueTask Reject(OnRejectedContext rejected, CancellationToken cancel)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.Response.Headers[HeaderNames.RetryAfter] = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata?.GetValueOrDefault(BalancerMetadata.Service) is { } service)
        {
            metrics.RateLimited(service);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One token bucket: a service's client, with the limit it was made for.</summary>
internal readonly record struct RateLimitKey(string Service, string Client, int PerSecond, int Burst)
{
    public static RateLimitKey None { get; } = new("", "", 0, 0);
}
