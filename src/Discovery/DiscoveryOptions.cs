using Bollard.Discovery.Consul;

namespace Bollard.Discovery;

/// <summary>Which catalog adapter the host uses.</summary>
public enum CatalogKind
{
    /// <summary>In-process catalog for a single host; needs nothing else. The default.</summary>
    Embedded,

    /// <summary>The local Consul agent at <see cref="DiscoveryOptions.Consul"/>.</summary>
    Consul,
}

/// <summary>Options of the Discovery part (config section "Discovery").</summary>
public sealed class DiscoveryOptions
{
    /// <summary>Embedded unless a Consul agent is configured, so that a single host with only Docker just works.</summary>
    public CatalogKind Catalog { get; set; } = CatalogKind.Embedded;

    /// <summary>How to reach Consul; used when <see cref="Catalog"/> is <see cref="CatalogKind.Consul"/>.</summary>
    public ConsulOptions Consul { get; set; } = new();

    /// <summary>Selects the Consul catalog at <paramref name="address"/>.</summary>
    public DiscoveryOptions UseConsul(Uri address)
    {
        Catalog = CatalogKind.Consul;
        Consul.Address = address;
        return this;
    }
}
