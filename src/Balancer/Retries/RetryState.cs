using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Retries;

/// <summary>
/// Per-request retry bookkeeping, created only when a request is retried (the first attempt allocates nothing).
/// Shared by the middleware and the 503 response transform through the request's features.
/// </summary>
internal sealed class RetryState
{
    /// <summary>Retries already made.</summary>
    public int Retries { get; set; }

    /// <summary>Replicas already tried, never tried again by this request.</summary>
    public List<DestinationState> Tried { get; } = [];

    /// <summary>Set by the transform when it kept a 503's body back because a retry was granted.</summary>
    public bool RetryGranted { get; set; }

    public static RetryState GetOrAdd(HttpContext context)
    {
        var state = context.Features.Get<RetryState>();
        if (state is null)
        {
            state = new RetryState();
            context.Features.Set(state);
        }

        return state;
    }

    /// <summary>Replicas available now (health-filtered, current config) that this request has not tried.</summary>
    public static List<DestinationState> Untried(ClusterState cluster, DestinationState? current, RetryState? state)
    {
        var untried = new List<DestinationState>();
        foreach (var destination in cluster.DestinationsState.AvailableDestinations)
        {
            if (destination != current && (state is null || !state.Tried.Contains(destination)))
            {
                untried.Add(destination);
            }
        }

        return untried;
    }

    /// <summary>The body can be sent again: there is none, or the middleware buffered it in memory.</summary>
    public static bool BodyReplayable(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || context.Request.Body is MemoryStream;
}
