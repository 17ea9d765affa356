using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Docker;

/// <summary>Rejects an unusable Docker configuration at start, with a message that says what to fix.</summary>
internal sealed class DockerOptionsValidator : IValidateOptions<DockerOptions>
{
    private static readonly string[] Schemes = ["unix", "tcp", "http", "https"];

    public ValidateOptionsResult Validate(string? name, DockerOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || !Schemes.Contains(endpoint.Scheme))
        {
            failures.Add(
                $"Docker:Endpoint '{options.Endpoint}' is not a unix://, tcp://, http:// or https:// URI " +
                $"(the default is {DockerOptions.DefaultEndpoint}).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Docker:RequestTimeout must be positive, not {options.RequestTimeout}.");
        }

        if (options.EventBufferCapacity < 1)
        {
            failures.Add($"Docker:EventBufferCapacity must be at least 1, not {options.EventBufferCapacity}.");
        }

        if (options.PullTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Docker:PullTimeout must be positive, not {options.PullTimeout}.");
        }

        if (options.PullProgressInterval <= TimeSpan.Zero)
        {
            failures.Add($"Docker:PullProgressInterval must be positive, not {options.PullProgressInterval}.");
        }

        if (options.RegistryAuthFile is { } authFile && RegistryCredentials.Check(authFile) is { } problem)
        {
            failures.Add($"Docker:RegistryAuthFile: {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
