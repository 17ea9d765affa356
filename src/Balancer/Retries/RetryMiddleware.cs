using Bollard.Balancer.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Retries;

/// <summary>
/// Sends a failed attempt again to another replica (YARP has no retries). It sits before load balancing, so each
/// attempt is picked afresh from the replicas available now minus those already tried. The first attempt
/// allocates nothing beyond a body buffer for small idempotent requests.
/// </summary>
internal sealed class RetryMiddleware(RequestDelegate next, RetryBudgets budgets, BalancerMetrics metrics)
{
    private readonly RetryOptions _options = budgets.Options;

    public async Task InvokeAsync(HttpContext context)
    {
        if (_options.MaxRetries == 0)
        {
            await next(context);
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var service = ServiceNames.Of(proxy.Cluster.Config);
        var budget = budgets.For(service);
        budget.RecordRequest(budgets.Time.GetTimestamp());
        await BufferSmallIdempotentBodyAsync(context);

        while (true)
        {
            await next(context);

            var state = context.Features.Get<RetryState>();
            var reason = RetryReason.Unavailable;
            if (state is not { RetryGranted: true })
            {
                var error = context.Features.Get<IForwarderErrorFeature>();
                reason = RetryRules.Decide(
                    context.Request.Method,
                    RetryState.BodyReplayable(context),
                    error?.Error ?? ForwarderError.None,
                    error?.Exception,
                    context.Response.StatusCode,
                    context.Response.HasStarted,
                    context.RequestAborted.IsCancellationRequested);

                // A 503 whose body the transform let through was not granted a retry; it has been answered.
                if (reason is RetryReason.None or RetryReason.Unavailable || (state?.Retries ?? 0) >= _options.MaxRetries)
                {
                    return;
                }
            }

            if (proxy.Route.Cluster is not { } cluster)
            {
                return;
            }

            var untried = RetryState.Untried(cluster, proxy.ProxiedDestination, state);
            if (untried.Count == 0)
            {
                return;
            }

            if (state is not { RetryGranted: true } && !budget.TryAcquire(budgets.Time.GetTimestamp()))
            {
                metrics.RetryDenied(service);
                return;
            }

            state ??= RetryState.GetOrAdd(context);
            PrepareRetry(context, proxy, state, untried);
            metrics.Retried(service, RetryRules.LabelOf(reason));
        }
    }

    private static void PrepareRetry(HttpContext context, IReverseProxyFeature proxy, RetryState state, List<DestinationState> untried)
    {
        if (proxy.ProxiedDestination is { } failed)
        {
            state.Tried.Add(failed);
        }

        state.Retries++;
        state.RetryGranted = false;
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
        proxy.ProxiedDestination = null;
        proxy.AvailableDestinations = untried;
        // A fresh stream instance: the server hands YARP a new body reader for it, the old one is completed.
        if (context.Request.Body is MemoryStream buffered && buffered.TryGetBuffer(out var bytes))
        {
            context.Request.Body = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false, publiclyVisible: true);
        }
    }

    /// <summary>
    /// Reads the body of an idempotent request that declares a small length into memory before the first
    /// attempt, so that a later attempt can send it again. Other requests stream as YARP does.
    /// </summary>
    private async Task BufferSmallIdempotentBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            || request.ContentLength is not { } length
            || length > _options.MaxBufferedBodyBytes
            || !RetryRules.IsIdempotent(request.Method))
        {
            return;
        }

        var buffer = new byte[length];
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        request.Body = new MemoryStream(buffer, 0, read, writable: false, publiclyVisible: true);
    }
}
