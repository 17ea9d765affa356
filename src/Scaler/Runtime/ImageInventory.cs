namespace Bollard.Scaler.Runtime;

/// <summary>
/// The images an engine holds, by every name a pin or a spec can use: image ids, tags and registry digests (each in its
/// familiar form, see <see cref="ImageReferences.Familiar"/>). Enough to tell whether the engine can create a container
/// from a reference without pulling it. Sorted and without duplicates, so two readings of the same engine are equal.
/// </summary>
public sealed class ImageInventory : IEquatable<ImageInventory>
{
    private readonly HashSet<string> _set;

    /// <param name="references">Ids, tags and digests, in any order and form (also a report's list, read back).</param>
    public ImageInventory(IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        References = [.. references.Where(r => !string.IsNullOrEmpty(r) && r != "<none>:<none>" && r != "<none>@<none>").Select(ImageReferences.Familiar).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _set = new HashSet<string>(References, StringComparer.Ordinal);
    }

    public static ImageInventory Empty { get; } = new([]);

    /// <summary>Every name the engine knows its images by, sorted.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>True when the engine can create a container from <paramref name="reference"/> as it stands.</summary>
    public bool Holds(string reference) => _set.Contains(ImageReferences.Familiar(reference));

    public bool Equals(ImageInventory? other) => other is not null && References.SequenceEqual(other.References, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ImageInventory);

    public override int GetHashCode() => References.Count == 0 ? 0 : HashCode.Combine(References.Count, References[0]);
}
