using System.Collections.Immutable;

namespace Bollard.Balancer.Weights;

/// <summary>
/// The traffic split of one service between its versions, in per-mille (0.1% steps, so one canary replica can get
/// exactly 5% = 50). Invariants, checked on construction: each weight is within 0..1000 and they sum to 1000.
/// Immutable with value equality; versions are kept in ordinal order.
/// </summary>
public sealed class VersionWeights : IEquatable<VersionWeights>
{
    /// <summary>What the weights of a service sum to.</summary>
    public const int Total = 1000;

    /// <exception cref="ArgumentException">A weight is outside 0..1000, a version is blank, or they do not sum to 1000.</exception>
    public VersionWeights(IReadOnlyDictionary<string, int> perMille)
    {
        ArgumentNullException.ThrowIfNull(perMille);
        var sum = 0;
        foreach (var (version, weight) in perMille)
        {
            if (string.IsNullOrWhiteSpace(version))
            {
                throw new ArgumentException("A version name is blank.", nameof(perMille));
            }

            if (weight is < 0 or > Total)
            {
                throw new ArgumentException($"The weight of version '{version}' is {weight}; it must be within 0..{Total} (per-mille).", nameof(perMille));
            }

            sum += weight;
        }

        if (sum != Total)
        {
            throw new ArgumentException($"Version weights must sum to {Total} per-mille; these sum to {sum}.", nameof(perMille));
        }

        Versions = [.. perMille.Select(p => new VersionWeight(p.Key, p.Value)).OrderBy(w => w.Version, StringComparer.Ordinal)];
    }

    public ImmutableArray<VersionWeight> Versions { get; }

    /// <summary>The weight of <paramref name="version"/>; 0 when it is not listed.</summary>
    public int Of(string version)
    {
        foreach (var weight in Versions)
        {
            if (weight.Version == version)
            {
                return weight.PerMille;
            }
        }

        return 0;
    }

    public IReadOnlyDictionary<string, int> ToDictionary() =>
        Versions.ToDictionary(w => w.Version, w => w.PerMille, StringComparer.Ordinal);

    public bool Equals(VersionWeights? other) => other is not null && Versions.SequenceEqual(other.Versions);

    public override bool Equals(object? obj) => Equals(obj as VersionWeights);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var weight in Versions)
        {
            hash.Add(weight);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", Versions.Select(w => $"{w.Version}={w.PerMille / 10.0:0.#}%"));
}
