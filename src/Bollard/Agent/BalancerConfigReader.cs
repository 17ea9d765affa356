using Bollard.Balancer;
using Bollard.Balancer.Health;
using Bollard.Balancer.LoadBalancing;
using Bollard.Scaler.Specs;

namespace Bollard.Agent;

/// <summary>
/// Reads the agent config's <c>balancer</c> block. Ranges are the ones the balancer accepts, checked here so that a
/// wrong value is reported with its file, line and field before anything starts, not as an options failure later.
/// </summary>
internal static class BalancerConfigReader
{
    private const int MaxBufferedBytes = 16 * 1024 * 1024;

    public static BalancerConfig Read(YamlMappingReader? balancer)
    {
        if (balancer is null)
        {
            return new BalancerConfig();
        }

        var config = new BalancerConfig
        {
            Zones = ZoneModeOf(balancer),
            ZoneCapacityThreshold = balancer.Number("zoneCapacityThreshold", 0.01, 1),
            Picking = PickingOf(balancer),
            StickyVersions = balancer.Flag("stickyVersions"),
            ConnectTimeout = balancer.Duration("connectTimeout", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5)),
            RequestTimeout = balancer.Duration("requestTimeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
            MaxConcurrentRequests = balancer.WholeNumber("maxConcurrentRequests", 1, 10_000_000),
            RetryAfterSeconds = balancer.WholeNumber("retryAfterSeconds", 0, 3600),
            SlowStart = SlowStartOf(balancer.Mapping("slowStart")),
            HealthChecks = HealthChecksOf(balancer.Mapping("healthChecks")),
            OutlierDetection = OutlierDetectionOf(balancer.Mapping("outlierDetection")),
            Retries = RetriesOf(balancer.Mapping("retries")),
        };
        balancer.RejectUnknownFields();
        return config;
    }

    private static SlowStartConfig SlowStartOf(YamlMappingReader? slowStart)
    {
        if (slowStart is null)
        {
            return new SlowStartConfig();
        }

        var config = new SlowStartConfig(
            slowStart.Duration("window", TimeSpan.Zero, TimeSpan.FromHours(1)),
            slowStart.Number("minimumWeight", 0.001, 1),
            slowStart.Number("aggression", 0.1, 10),
            slowStart.Number("warmLoadLimit", 1, 100));
        slowStart.RejectUnknownFields();
        return config;
    }

    private static HealthChecksConfig HealthChecksOf(YamlMappingReader? checks)
    {
        if (checks is null)
        {
            return new HealthChecksConfig();
        }

        var config = new HealthChecksConfig(
            checks.Flag("enabled"),
            checks.Duration("interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            checks.Duration("timeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
            checks.WholeNumber("healthyThreshold", 1, 100),
            checks.WholeNumber("unhealthyThreshold", 1, 100));
        var interval = config.Interval ?? ActiveHealthCheckOptions.DefaultInterval;
        if (config.Timeout is { } timeout && timeout > interval)
        {
            // A probe still running when the next is due would overlap it: YARP would queue probes without end.
            checks.Error("timeout", $"must be at most the interval ({Durations.Format(interval)}), got {Durations.Format(timeout)}");
        }

        checks.RejectUnknownFields();
        return config;
    }

    private static OutlierDetectionConfig OutlierDetectionOf(YamlMappingReader? outliers)
    {
        if (outliers is null)
        {
            return new OutlierDetectionConfig();
        }

        var config = new OutlierDetectionConfig(
            outliers.Flag("enabled"),
            outliers.WholeNumber("consecutiveFailures", 1, 1000),
            outliers.Duration("baseEjectionTime", TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)),
            outliers.Duration("maxEjectionTime", TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)),
            outliers.Number("maxEjectedShare", 0, 1));
        var max = config.MaxEjectionTime ?? OutlierDetectionOptions.DefaultMaxEjectionTime;
        if (config.BaseEjectionTime is { } first && first > max)
        {
            outliers.Error("baseEjectionTime", $"must be at most maxEjectionTime ({Durations.Format(max)}), got {Durations.Format(first)}");
        }

        outliers.RejectUnknownFields();
        return config;
    }

    private static RetriesConfig RetriesOf(YamlMappingReader? retries)
    {
        if (retries is null)
        {
            return new RetriesConfig();
        }

        var config = new RetriesConfig(
            retries.WholeNumber("max", 0, 10),
            retries.Number("budget", 0, 10),
            retries.WholeNumber("minPerSecond", 0, 100_000),
            retries.WholeNumber("maxBufferedBodyBytes", 0, MaxBufferedBytes),
            retries.WholeNumber("maxBufferedResponseBytes", 0, MaxBufferedBytes));
        retries.RejectUnknownFields();
        return config;
    }

    private static ZoneMode? ZoneModeOf(YamlMappingReader balancer)
    {
        switch (balancer.Choice("zones", ["preferLocal", "spread"]))
        {
            case null:
                return null;
            case "preferLocal":
                return ZoneMode.PreferLocal;
            case "spread":
                return ZoneMode.Spread;
            case var other:
                balancer.Error("zones", $"'{other}' is not a zone mode (preferLocal: keep traffic in the balancer's zone while it has its share of replicas; spread: all zones alike)");
                return null;
        }
    }

    private static DestinationPicking? PickingOf(YamlMappingReader balancer)
    {
        switch (balancer.Choice("picking", ["leastRequest", "roundRobin"]))
        {
            case null:
                return null;
            case "leastRequest":
                return DestinationPicking.PowerOfTwoChoices;
            case "roundRobin":
                return DestinationPicking.RoundRobin;
            case var other:
                balancer.Error("picking", $"'{other}' is not a picking rule (leastRequest: the less busy of two random replicas, by weight; roundRobin: each replica in turn)");
                return null;
        }
    }
}
