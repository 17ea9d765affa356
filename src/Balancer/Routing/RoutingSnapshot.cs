using System.Collections.Immutable;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Everything the balancer routes at one moment: each routed service with its healthy destinations.
/// Immutable with value equality (services ordered by name), so a rebuild that changes nothing is not republished.
/// </summary>
internal sealed class RoutingSnapshot : IEquatable<RoutingSnapshot>
{
    public RoutingSnapshot(IEnumerable<ServiceRouting> services)
    {
        Services = [.. services.OrderBy(s => s.Service, StringComparer.Ordinal)];
    }

    public static RoutingSnapshot Empty { get; } = new([]);

    public ImmutableArray<ServiceRouting> Services { get; }

    public ServiceRouting? Find(string service)
    {
        foreach (var routing in Services)
        {
            if (routing.Service == service)
            {
                return routing;
            }
        }

        return null;
    }

    public bool Equals(RoutingSnapshot? other) => other is not null && Services.SequenceEqual(other.Services);

    public override bool Equals(object? obj) => Equals(obj as RoutingSnapshot);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var service in Services)
        {
            hash.Add(service);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"{Services.Length} services";
}
