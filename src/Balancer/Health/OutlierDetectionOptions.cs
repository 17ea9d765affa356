namespace Bollard.Balancer.Health;

/// <summary>Passive outlier ejection: replicas that keep failing real requests are taken out for a while.</summary>
public sealed class OutlierDetectionOptions
{
    public const int DefaultConsecutiveFailures = 5;
    public const double DefaultMaxEjectedShare = 0.5;
    public static readonly TimeSpan DefaultBaseEjectionTime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMaxEjectionTime = TimeSpan.FromMinutes(5);

    public bool Enabled { get; set; } = true;

    /// <summary>Consecutive 5xx answers or connection failures that eject a replica.</summary>
    public int ConsecutiveFailures { get; set; } = DefaultConsecutiveFailures;

    /// <summary>The first ejection lasts this long; the n-th lasts n times as long, up to <see cref="MaxEjectionTime"/>.</summary>
    public TimeSpan BaseEjectionTime { get; set; } = DefaultBaseEjectionTime;

    /// <summary>
    /// The longest ejection. A replica that has gone this long (after its last ejection ended) without being
    /// ejected starts again from <see cref="BaseEjectionTime"/>.
    /// </summary>
    public TimeSpan MaxEjectionTime { get; set; } = DefaultMaxEjectionTime;

    /// <summary>
    /// At most this share of a service's replicas is ejected at once (rounded down, so a single replica is never
    /// ejected): a bad signal, e.g. a failing dependency every replica shares, must not empty the pool.
    /// </summary>
    public double MaxEjectedShare { get; set; } = DefaultMaxEjectedShare;

    internal IEnumerable<string> Validate()
    {
        if (ConsecutiveFailures is < 1 or > 1000)
        {
            yield return $"Balancer:OutlierDetection:ConsecutiveFailures is {ConsecutiveFailures}; it must be between 1 and 1000.";
        }

        if (BaseEjectionTime < TimeSpan.FromMilliseconds(1) || BaseEjectionTime > MaxEjectionTime)
        {
            yield return $"Balancer:OutlierDetection:BaseEjectionTime is {BaseEjectionTime}; it must be at least 1 ms and at most MaxEjectionTime ({MaxEjectionTime}).";
        }

        if (MaxEjectionTime > TimeSpan.FromDays(1))
        {
            yield return $"Balancer:OutlierDetection:MaxEjectionTime is {MaxEjectionTime}; it must be at most 1 day.";
        }

        if (MaxEjectedShare is < 0 or > 1 || double.IsNaN(MaxEjectedShare))
        {
            yield return $"Balancer:OutlierDetection:MaxEjectedShare is {MaxEjectedShare}; it must be between 0 and 1.";
        }
    }
}
