namespace Bollard.Balancer.Health;

/// <summary>The balancer's own HTTP health checks of every replica, on top of the catalog's.</summary>
public sealed class ActiveHealthCheckOptions
{
    public const string DefaultPath = "/health";
    public const int DefaultHealthyThreshold = 2;
    public const int DefaultUnhealthyThreshold = 2;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    public bool Enabled { get; set; } = true;

    /// <summary>Time between two probes of a replica.</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>A probe without an answer within this long fails.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Path probed when the service's route names none (<c>ServiceRoute.HealthPath</c>).</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>Consecutive passing probes that bring an unhealthy replica back.</summary>
    public int HealthyThreshold { get; set; } = DefaultHealthyThreshold;

    /// <summary>Consecutive failing probes that take a replica out.</summary>
    public int UnhealthyThreshold { get; set; } = DefaultUnhealthyThreshold;

    internal IEnumerable<string> Validate()
    {
        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > TimeSpan.FromHours(1))
        {
            yield return $"Balancer:ActiveHealthChecks:Interval is {Interval}; it must be between 100 ms and 1 hour.";
        }

        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > Interval)
        {
            yield return $"Balancer:ActiveHealthChecks:Timeout is {Timeout}; it must be at least 10 ms and at most Interval ({Interval}).";
        }

        if (string.IsNullOrWhiteSpace(Path) || Path[0] != '/')
        {
            yield return $"Balancer:ActiveHealthChecks:Path is '{Path}'; it must start with '/'.";
        }

        if (HealthyThreshold is < 1 or > 100 || UnhealthyThreshold is < 1 or > 100)
        {
            yield return $"Balancer:ActiveHealthChecks:HealthyThreshold/UnhealthyThreshold are {HealthyThreshold}/{UnhealthyThreshold}; each must be between 1 and 100.";
        }
    }
}
