using Bollard.Balancer.Metrics;
using Bollard.Balancer.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Retries;

/// <summary>
/// The retry part of <see cref="BalancerRequestMiddleware"/> (YARP has no retries): after each attempt, whether to
/// send the request again, and the preparation of the next attempt; before the first, the read-ahead of a small
/// idempotent body so that it can be sent again. The decision itself is <see cref="RetryRules.Decide"/>.
/// </summary>
internal static class RetryAttempts
{
    /// <summary>An idempotent request that declares a small body: read it into memory before the first attempt.</summary>
    public static bool ShouldBufferBody(HttpContext context, RetryOptions options) =>
        context.Request.ContentLength is { } length
        && length <= options.MaxBufferedBodyBytes
        && context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false }
        && RetryRules.IsIdempotent(context.Request.Method);

    public static async Task BufferBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var buffer = new byte[request.ContentLength!.Value];
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

    /// <summary>
    /// True when the attempt that just ended should be followed by another, to a replica this request has not tried;
    /// the context is then ready for it. Retries left, an untried replica and the service's budget are all needed
    /// (a retry the response transform granted for a 503 has taken its budget already).
    /// </summary>
    public static bool PrepareRetry(
        HttpContext context, IReverseProxyFeature proxy, ServiceRequestState service, RetryOptions options, TimeProvider time, BalancerMetrics metrics)
    {
        var state = context.Features.Get<RetryState>();
        var reason = RetryReason.Unavailable;
        if (state is not { RetryGranted: true })
        {
            var error = context.Features.Get<IForwarderErrorFeature>();
            if (error is null)
            {
                // The usual case: the replica answered. Its 503, if any, was let through by the response transform
                // (no retry granted), so it is the answer; RetryRules would say the same.
                return false;
            }

            reason = RetryRules.Decide(
                context.Request.Method,
                RetryState.BodyReplayable(context),
                error?.Error ?? ForwarderError.None,
                error?.Exception,
                context.Response.StatusCode,
                context.Response.HasStarted,
                context.RequestAborted.IsCancellationRequested);

            // A 503 whose body the transform let through was not granted a retry; it has been answered.
            if (reason is RetryReason.None or RetryReason.Unavailable || (state?.Retries ?? 0) >= options.MaxRetries)
            {
                return false;
            }
        }

        if (proxy.Route.Cluster is not { } cluster)
        {
            return false;
        }

        var untried = RetryState.Untried(cluster, proxy.ProxiedDestination, state);
        if (untried.Count == 0)
        {
            return false;
        }

        if (state is not { RetryGranted: true } && !service.Budget.TryAcquire(time.GetTimestamp()))
        {
            metrics.RetryDenied(service.Service);
            return false;
        }

        state ??= RetryState.GetOrAdd(context);
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

        metrics.Retried(service.Service, RetryRules.LabelOf(reason));
        return true;
    }
}
