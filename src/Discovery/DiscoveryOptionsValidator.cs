using Microsoft.Extensions.Options;

namespace Bollard.Discovery;

/// <summary>Fails the host at start with every problem named, instead of at the first catalog call.</summary>
internal sealed class DiscoveryOptionsValidator : IValidateOptions<DiscoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscoveryOptions options)
    {
        if (!Enum.IsDefined(options.Catalog))
        {
            return ValidateOptionsResult.Fail($"Discovery Catalog must be Embedded or Consul; got '{options.Catalog}'.");
        }

        if (options.Catalog != CatalogKind.Consul)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.Consul is null)
        {
            return ValidateOptionsResult.Fail("Discovery Catalog is Consul but the Consul section is missing.");
        }

        var errors = options.Consul.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
