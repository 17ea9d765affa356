namespace Bollard.Balancer.Retries;

/// <summary>Retries on another replica, bounded per request and by a budget per service.</summary>
public sealed class RetryOptions
{
    public const int DefaultMaxRetries = 2;
    public const int DefaultMaxBufferedBodyBytes = 64 * 1024;
    public const int DefaultMaxBufferedResponseBytes = 64 * 1024;
    public const double DefaultBudgetRatio = 0.2;
    public const int DefaultMinRetriesPerSecond = 5;
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Retries of one request after its first attempt (0 turns retries off).</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>
    /// An idempotent request with a body up to this size is buffered so that it can be sent again after a timeout,
    /// a lost connection or a 503. Larger bodies are only retried when the connection was never made.
    /// </summary>
    public int MaxBufferedBodyBytes { get; set; } = DefaultMaxBufferedBodyBytes;

    /// <summary>
    /// A response to an idempotent request whose body is smaller than this is read whole from the replica before
    /// anything goes to the client, so that a replica dying mid-body costs a retry instead of a broken response.
    /// Larger and streaming responses (server-sent events, gRPC, NDJSON) are streamed as they come; 0 streams all.
    /// </summary>
    public int MaxBufferedResponseBytes { get; set; } = DefaultMaxBufferedResponseBytes;

    /// <summary>Retries allowed as a share of a service's requests over the last 10 s.</summary>
    public double BudgetRatio { get; set; } = DefaultBudgetRatio;

    /// <summary>Retries allowed per second on top of the ratio, so that a quiet service can still retry.</summary>
    public int MinRetriesPerSecond { get; set; } = DefaultMinRetriesPerSecond;

    /// <summary>
    /// How long a replica may stay silent (before its response headers, or between body reads) before the attempt
    /// times out; <c>ServiceRoute.Timeout</c> overrides it per service.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    internal IEnumerable<string> Validate()
    {
        if (MaxRetries is < 0 or > 10)
        {
            yield return $"Balancer:Retries:MaxRetries is {MaxRetries}; it must be between 0 and 10.";
        }

        if (MaxBufferedBodyBytes is < 0 or > 16 * 1024 * 1024)
        {
            yield return $"Balancer:Retries:MaxBufferedBodyBytes is {MaxBufferedBodyBytes}; it must be between 0 and 16 MiB.";
        }

        if (MaxBufferedResponseBytes is < 0 or > 16 * 1024 * 1024)
        {
            yield return $"Balancer:Retries:MaxBufferedResponseBytes is {MaxBufferedResponseBytes}; it must be between 0 and 16 MiB.";
        }

        if (BudgetRatio is < 0 or > 10 || double.IsNaN(BudgetRatio))
        {
            yield return $"Balancer:Retries:BudgetRatio is {BudgetRatio}; it must be between 0 and 10.";
        }

        if (MinRetriesPerSecond is < 0 or > 100_000)
        {
            yield return $"Balancer:Retries:MinRetriesPerSecond is {MinRetriesPerSecond}; it must be between 0 and 100000.";
        }

        if (RequestTimeout < TimeSpan.FromMilliseconds(10) || RequestTimeout > TimeSpan.FromHours(1))
        {
            yield return $"Balancer:Retries:RequestTimeout is {RequestTimeout}; it must be between 10 ms and 1 hour.";
        }
    }
}
