using Bollard.Balancer.Metrics;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Bollard.Balancer.Retries;

/// <summary>
/// The one retry decision that must be taken inside the forwarder: a replica's 503 has to be caught before its
/// body is copied to the client, or it could not be replaced. When a retry is possible (idempotent, replayable
/// body, retries left, an untried replica, budget) the body is held back and the middleware sends the request
/// again. Any other response costs one comparison.
/// </summary>
internal sealed class RetryResponseTransform(RetryBudgets budgets)
{
    public ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is null || (int)context.ProxyResponse.StatusCode != StatusCodes.Status503ServiceUnavailable)
        {
            return ValueTask.CompletedTask;
        }

        var http = context.HttpContext;
        var existing = http.Features.Get<RetryState>();
        if ((existing?.Retries ?? 0) >= budgets.Options.MaxRetries
            || !RetryRules.IsIdempotent(http.Request.Method)
            || !RetryState.BodyReplayable(http))
        {
            return ValueTask.CompletedTask;
        }

        var proxy = http.GetReverseProxyFeature();
        if (proxy.Route.Cluster is not { } cluster || RetryState.Untried(cluster, proxy.ProxiedDestination, existing).Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        if (!budgets.For(ServiceNames.Of(proxy.Cluster.Config)).TryAcquire(budgets.Time.GetTimestamp()))
        {
            return ValueTask.CompletedTask;
        }

        context.SuppressResponseBody = true;
        RetryState.GetOrAdd(http).RetryGranted = true;
        return ValueTask.CompletedTask;
    }
}
