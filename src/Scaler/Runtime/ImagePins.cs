namespace Bollard.Scaler.Runtime;

/// <summary>
/// Which reference pins an image: pure rules, so they are tested without an engine. A reference already naming
/// content (<c>repo@sha256:…</c>, or an image id) is its own pin. Otherwise a registry digest of the same repository
/// when the engine has one (it names the same content on every host that pulled it), else the image id: an image
/// built locally has no registry digest, and its id survives <c>docker save | docker load</c> onto other hosts.
/// </summary>
public static class ImagePins
{
    private const string IdPrefix = "sha256:";

    /// <summary>True when <paramref name="reference"/> already names content, not a movable tag.</summary>
    public static bool IsPinned(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return reference.Contains('@', StringComparison.Ordinal) || reference.StartsWith(IdPrefix, StringComparison.Ordinal);
    }

    /// <summary>The pin of <paramref name="reference"/>, given the image the engine holds under it.</summary>
    public static string PinFor(string reference, ImageIdentity image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (IsPinned(reference))
        {
            return reference;
        }

        var repository = RepositoryOf(reference);
        return image.RepoDigests.FirstOrDefault(d => RepositoryOf(d) == repository)
            ?? image.RepoDigests.FirstOrDefault(d => d.Contains('@', StringComparison.Ordinal))
            ?? image.Id;
    }

    /// <summary>"registry:5000/team/app" for "registry:5000/team/app:v1" or "registry:5000/team/app@sha256:…".</summary>
    public static string RepositoryOf(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? reference[..at] : reference;

        // A tag's colon comes after the last slash; a colon before it belongs to a registry's port.
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
