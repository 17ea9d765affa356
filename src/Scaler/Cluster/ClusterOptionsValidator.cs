using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>Checks <see cref="ClusterOptions"/> at start; every problem names its setting and what is allowed.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
