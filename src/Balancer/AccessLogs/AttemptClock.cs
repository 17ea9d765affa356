using Microsoft.AspNetCore.Http;

namespace Bollard.Balancer.AccessLogs;

/// <summary>When a logged request's last attempt began (its upstream time runs from there); set only on logged requests.</summary>
internal sealed class AttemptClock
{
    /// <summary>Timestamp of the last attempt's start (TimeProvider ticks); 0: no attempt yet.</summary>
    public long Started { get; private set; }

    /// <summary>Marks an attempt's start; one feature lookup and nothing else on a request that is not logged.</summary>
    public static void Start(HttpContext context, TimeProvider time)
    {
        if (context.Features.Get<AttemptClock>() is { } clock)
        {
            clock.Started = time.GetTimestamp();
        }
    }
}
