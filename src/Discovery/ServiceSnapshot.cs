using System.Collections.Immutable;

namespace Bollard.Discovery;

/// <summary>
/// The healthy instances of one service at one moment. Instances are ordered by id so that two snapshots of
/// the same set compare equal whatever order the catalog returned them in.
/// </summary>
public sealed class ServiceSnapshot : IEquatable<ServiceSnapshot>
{
    public ServiceSnapshot(string service, IEnumerable<ServiceInstance> instances)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        Service = service;
        Instances = [.. instances.OrderBy(i => i.Id, StringComparer.Ordinal)];
    }

    public string Service { get; }

    public ImmutableArray<ServiceInstance> Instances { get; }

    public static ServiceSnapshot Empty(string service) => new(service, []);

    public bool Equals(ServiceSnapshot? other) =>
        other is not null && Service == other.Service && Instances.SequenceEqual(other.Instances);

    public override bool Equals(object? obj) => Equals(obj as ServiceSnapshot);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Service);
        foreach (var instance in Instances)
        {
            hash.Add(instance);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"{Service}: {Instances.Length} healthy";
}
