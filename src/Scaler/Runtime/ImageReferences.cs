namespace Bollard.Scaler.Runtime;

/// <summary>
/// What an image reference names and where it comes from, by Docker's rules: pure, so the pull and placement rules are
/// tested without an engine. A reference is an image id (<c>sha256:…</c>, content that exists only on engines that
/// built or loaded it), a registry digest (<c>repo@sha256:…</c>, content any engine can pull), or a tag
/// (<c>repo:tag</c>, a name that may move).
/// </summary>
public static class ImageReferences
{
    private const string IdPrefix = "sha256:";
    private const string DockerHub = "docker.io";

    /// <summary>True for an image id: no registry holds it under that name, an engine lacking it cannot pull it.</summary>
    public static bool IsImageId(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return reference.StartsWith(IdPrefix, StringComparison.Ordinal) && !reference.Contains('/', StringComparison.Ordinal);
    }

    /// <summary>True for a registry digest (<c>repo@sha256:…</c>).</summary>
    public static bool IsDigest(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return reference.Contains('@', StringComparison.Ordinal);
    }

    /// <summary>
    /// The form the engine lists a reference in (its "familiar" form), so that a spec's reference and the engine's
    /// inventory compare equal: Docker Hub's <c>docker.io/library/</c> and <c>docker.io/</c> left out, <c>:latest</c>
    /// added to a bare name.
    /// </summary>
    public static string Familiar(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (IsImageId(reference))
        {
            return reference;
        }

        var name = reference;
        foreach (var prefix in (string[])["docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                name = name[prefix.Length..];
                break;
            }
        }

        return IsDigest(name) || HasTag(name) ? name : name + ":latest";
    }

    /// <summary>
    /// The registry a reference is pulled from: its first component when that names a host (it holds a '.' or a ':',
    /// or is <c>localhost</c>), else Docker Hub (<c>docker.io</c>).
    /// </summary>
    public static string RegistryOf(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return DockerHub;
        }

        var first = reference[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first
            : DockerHub;
    }

    /// <summary>The two halves the engine's pull takes: the repository, and the tag or digest (<c>latest</c> when neither).</summary>
    /// <exception cref="ArgumentException">An image id: it cannot be pulled.</exception>
    public static (string Repository, string TagOrDigest) ForPull(string reference)
    {
        if (IsImageId(reference))
        {
            throw new ArgumentException($"'{reference}' is an image id: no registry serves it", nameof(reference));
        }

        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (reference[..at], reference[(at + 1)..]);
        }

        return HasTag(reference) ? (ImagePins.RepositoryOf(reference), reference[(reference.LastIndexOf(':') + 1)..]) : (reference, "latest");
    }

    // A tag's colon comes after the last slash; a colon before it belongs to a registry's port.
    private static bool HasTag(string name) => name.LastIndexOf(':') > name.LastIndexOf('/');
}
