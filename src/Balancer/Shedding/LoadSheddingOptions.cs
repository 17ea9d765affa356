namespace Bollard.Balancer.Shedding;

/// <summary>Per-service concurrency limit: above it, requests get a fast 503 instead of waiting in a queue.</summary>
public sealed class LoadSheddingOptions
{
    public const int DefaultMaxConcurrentRequests = 1000;
    public const int DefaultRetryAfterSeconds = 1;

    /// <summary>
    /// Requests of one service the balancer works on at once (waiting for or streaming from replicas), unless the
    /// service's route sets <c>ServiceRoute.MaxConcurrentRequests</c>.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = DefaultMaxConcurrentRequests;

    /// <summary>The Retry-After (seconds) sent with a shed request's 503.</summary>
    public int RetryAfterSeconds { get; set; } = DefaultRetryAfterSeconds;

    internal IEnumerable<string> Validate()
    {
        if (MaxConcurrentRequests is < 1 or > 10_000_000)
        {
            yield return $"Balancer:Shedding:MaxConcurrentRequests is {MaxConcurrentRequests}; it must be between 1 and 10000000.";
        }

        if (RetryAfterSeconds is < 0 or > 3600)
        {
            yield return $"Balancer:Shedding:RetryAfterSeconds is {RetryAfterSeconds}; it must be between 0 and 3600.";
        }
    }
}
