using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler;

/// <summary>Checks <see cref="ScalerOptions"/> at start, with messages that say what is allowed.</summary>
internal sealed partial class ScalerOptionsValidator : IValidateOptions<ScalerOptions>
{
    public ValidateOptionsResult Validate(string? name, ScalerOptions options)
    {
        var errors = new List<string>();
        if (!LabelValue().IsMatch(options.Cluster))
        {
            errors.Add($"cluster '{options.Cluster}' must be 1 to 63 letters, digits, '.', '_' or '-'");
        }

        if (!LabelValue().IsMatch(options.Zone))
        {
            errors.Add($"zone '{options.Zone}' must be 1 to 63 letters, digits, '.', '_' or '-'");
        }

        if (!IPAddress.TryParse(options.PublishAddress, out _))
        {
            errors.Add($"docker.publishAddress '{options.PublishAddress}' must be an IP address of this host (e.g. 127.0.0.1)");
        }

        if (options.ZoneAvailability is <= 0 or >= 1)
        {
            errors.Add($"zoneAvailability {options.ZoneAvailability} must be between 0 and 1 (e.g. 0.99)");
        }

        if (options.ResyncInterval <= TimeSpan.Zero || options.StartingPollInterval <= TimeSpan.Zero)
        {
            errors.Add("resync and polling intervals must be positive");
        }

        if (options.LoadCheckInterval < TimeSpan.Zero || (options.LoadCheckInterval > TimeSpan.Zero && options.LoadCheckInterval < TimeSpan.FromMilliseconds(10)))
        {
            errors.Add($"the load check interval {options.LoadCheckInterval} must be 0 (off) or at least 10 ms");
        }

        if (options.StartupProbeInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"the startup probe interval {options.StartupProbeInterval} must be at least 10 ms");
        }

        if (options.CreateLimit is not { Min: >= 1 } limit || limit.Max < limit.Min || limit.Initial < limit.Min || limit.Initial > limit.Max || limit.SlowAnswer <= TimeSpan.Zero)
        {
            errors.Add($"the create limit {options.CreateLimit} needs 1 <= min <= initial <= max and a positive slow answer time");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex LabelValue();
}
