using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Specs;

/// <summary>
/// What a service's containers get as their environment: the variables of the spec's <c>env</c>, and env files
/// (<c>envFrom</c>) that each host reads when it creates a container. Every value is a secret by default: values live
/// in memory on the host and in the container's own environment only; labels, the state store, commands, answers and
/// logs see the names, the file paths and <see cref="Digest"/>, a keyed hash of the values (Secrets/EnvDigests).
/// </summary>
/// <remarks>
/// Immutable; changing a value gives an environment without a digest (a host computes it again with its key), so a
/// stale digest can never stand for new values. Serialised without its values unless a sealing converter is given.
/// </remarks>
[JsonConverter(typeof(RedactedEnvironmentJsonConverter))]
public sealed class ServiceEnvironment : IEquatable<ServiceEnvironment>
{
    private ServiceEnvironment(ImmutableSortedDictionary<string, string> values, ValueList<string> files, string? digest)
    {
        Values = values;
        Files = files;
        Digest = digest;
    }

    public static ServiceEnvironment Empty { get; } = new(ImmutableSortedDictionary<string, string>.Empty, [], null);

    /// <summary>The variables and their values, sorted by name. Never to be written anywhere but a container's environment.</summary>
    public ImmutableSortedDictionary<string, string> Values { get; }

    /// <summary>Absolute paths of env files on the hosts, read (in this order, later files winning) when a container is created.</summary>
    public ValueList<string> Files { get; }

    /// <summary>The keyed hash of <see cref="Values"/>; null while no host key has digested them (none needed when there are no values).</summary>
    public string? Digest { get; }

    /// <summary>True when the version id can be computed: no values, or values with their digest.</summary>
    public bool IsDigested => Values.Count == 0 || Digest is not null;

    public static ServiceEnvironment Of(IEnumerable<KeyValuePair<string, string>> values, IEnumerable<string>? files = null) =>
        new(values.ToImmutableSortedDictionary(StringComparer.Ordinal), ValueList.From(files ?? []), null);

    /// <summary>The same values with their digest (computed by Secrets/EnvDigests with the host's key).</summary>
    public ServiceEnvironment WithDigest(string digest)
    {
        ArgumentException.ThrowIfNullOrEmpty(digest);
        return new ServiceEnvironment(Values, Files, digest);
    }

    /// <summary>This environment with one variable set; the digest goes (it no longer stands for the values).</summary>
    public ServiceEnvironment With(string name, string value) => new(Values.SetItem(name, value), Files, null);

    public bool Equals(ServiceEnvironment? other) =>
        other is not null && (ReferenceEquals(this, other) || (Files.Equals(other.Files) && Values.SequenceEqual(other.Values)));

    public override bool Equals(object? obj) => Equals(obj as ServiceEnvironment);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Files);
        foreach (var (name, value) in Values)
        {
            hash.Add(name);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>Names and files only: a spec printed in a log or a debugger shows no value.</summary>
    public override string ToString() =>
        $"env [{string.Join(", ", Values.Keys)}]" + (Files.Count > 0 ? $" from [{string.Join(", ", Files)}]" : "");
}

/// <summary>
/// The default JSON form of an environment: names, files and digest, never a value. Whatever serialises a spec by
/// mistake (an answer, a log) cannot leak a value; the stores that must keep values register a sealing converter,
/// which wins over this one. It cannot be read back: a form without values is no environment.
/// </summary>
internal sealed class RedactedEnvironmentJsonConverter : JsonConverter<ServiceEnvironment>
{
    public override ServiceEnvironment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("an environment is read back only through a sealing converter (Secrets/SealedEnvironmentJsonConverter)");

    public override void Write(Utf8JsonWriter writer, ServiceEnvironment value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("names");
        foreach (var name in value.Values.Keys)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("files");
        foreach (var file in value.Files)
        {
            writer.WriteStringValue(file);
        }

        writer.WriteEndArray();
        writer.WriteString("digest", value.Digest);
        writer.WriteEndObject();
    }
}
