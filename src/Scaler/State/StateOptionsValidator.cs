using Microsoft.Extensions.Options;

namespace Bollard.Scaler.State;

internal sealed class StateOptionsValidator : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory) || !Path.IsPathRooted(options.Directory))
        {
            failures.Add($"stateDir must be an absolute path, got '{options.Directory}'");
        }

        if (string.IsNullOrWhiteSpace(options.Cluster) || options.Cluster.Contains('/', StringComparison.Ordinal))
        {
            failures.Add($"cluster must be a non-empty name without '/', got '{options.Cluster}'");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
