namespace Bollard.Balancer.LoadBalancing;

/// <summary>The checks of the picking, zone, slow-start and snapshot settings, with messages naming the setting.</summary>
internal static class PickingOptionsValidation
{
    private static readonly TimeSpan MaxSlowStartWindow = TimeSpan.FromHours(1);

    public static IReadOnlyList<string> Validate(BalancerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Cluster))
        {
            failures.Add("Balancer:Cluster is empty; it names the Consul weights prefix bollard/<cluster>/weights/.");
        }

        if (!Enum.IsDefined(options.ZoneMode))
        {
            failures.Add($"Balancer:ZoneMode is {options.ZoneMode}; it must be PreferLocal or Spread.");
        }

        if (!Enum.IsDefined(options.Picking))
        {
            failures.Add($"Balancer:Picking is {options.Picking}; it must be PowerOfTwoChoices or RoundRobin.");
        }

        if (!(options.ZoneCapacityThreshold is > 0 and <= 1))
        {
            failures.Add($"Balancer:ZoneCapacityThreshold is {options.ZoneCapacityThreshold}; it must be within (0, 1].");
        }

        if (options.SlowStartWindow < TimeSpan.Zero || options.SlowStartWindow > MaxSlowStartWindow)
        {
            failures.Add($"Balancer:SlowStartWindow is {options.SlowStartWindow}; it must be between 0 (off) and {MaxSlowStartWindow}.");
        }

        if (!(options.SlowStartMinimumWeight is > 0 and <= 1))
        {
            failures.Add($"Balancer:SlowStartMinimumWeight is {options.SlowStartMinimumWeight}; it must be within (0, 1].");
        }

        if (!(options.SlowStartAggression is > 0 and <= 10))
        {
            failures.Add($"Balancer:SlowStartAggression is {options.SlowStartAggression}; it must be within (0, 10] (1: linear).");
        }

        if (!(options.SlowStartWarmLoadLimit is >= 1 and <= 100))
        {
            failures.Add($"Balancer:SlowStartWarmLoadLimit is {options.SlowStartWarmLoadLimit}; it must be within [1, 100].");
        }

        if (options.SnapshotFile is { } file && (string.IsNullOrWhiteSpace(file) || file.EndsWith('/')))
        {
            failures.Add($"Balancer:SnapshotFile '{file}' is not a file path; leave it unset to keep no snapshot on disk.");
        }

        return failures;
    }
}
