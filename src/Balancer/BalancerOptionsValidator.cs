using Microsoft.Extensions.Options;

namespace Bollard.Balancer;

/// <summary>Rejects settings that would make the balancer stall or spin, with a message naming the setting.</summary>
internal sealed class BalancerOptionsValidator : IValidateOptions<BalancerOptions>
{
    public ValidateOptionsResult Validate(string? name, BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var failures = new List<string>();
        Check(failures, nameof(options.RoutingDebounce), options.RoutingDebounce, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Check(failures, nameof(options.WatchRetryDelay), options.WatchRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
        Check(failures, nameof(options.ConnectTimeout), options.ConnectTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
        Check(failures, nameof(options.PooledConnectionLifetime), options.PooledConnectionLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Check(failures, nameof(options.PooledConnectionIdleTimeout), options.PooledConnectionIdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        failures.AddRange(options.ActiveHealthChecks.Validate());
        failures.AddRange(options.OutlierDetection.Validate());
        failures.AddRange(options.Retries.Validate());
        failures.AddRange(options.Shedding.Validate());
        failures.AddRange(LoadBalancing.PickingOptionsValidation.Validate(options));
        foreach (var log in options.AccessLogs)
        {
            if (log.QueueCapacity is < 1 or > 10_000_000)
            {
                failures.Add($"Balancer:AccessLogs (port {log.Port}): QueueCapacity is {log.QueueCapacity}; it must be between 1 and 10000000.");
            }

            if (options.AccessLogs.Count(l => l.Port == log.Port) > 1)
            {
                failures.Add($"Balancer:AccessLogs: port {log.Port} has more than one access log.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Balancer:{setting} is {value}; it must be between {min} and {max}.");
        }
    }
}
