namespace Bollard.Scaler.Runtime;

/// <summary>
/// Reads what an image reference names on an engine now, so that a version can pin it (<see cref="ImagePins"/>): a
/// tag moved later must never change the containers of a version that already runs.
/// </summary>
public interface IImageResolver
{
    /// <summary>The image <paramref name="reference"/> names on the engine now; null when the engine has no such image.</summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<ImageIdentity?> ResolveImageAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the registry of <paramref name="reference"/> (a tag), through the engine and without downloading anything,
    /// which content the tag names now: its registry digest as a pin (<c>repo@sha256:…</c>). So a registry image the
    /// engine never had is pinned by digest, and a tag moved in the registry is taken up by a rollout.
    /// </summary>
    /// <exception cref="ContainerOperationException">The registry (or the engine) refused: no such image, not
    /// authorized, unreachable; the message says which.</exception>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<string> ResolveInRegistryAsync(string reference, CancellationToken cancellationToken);
}

/// <summary>An image as an engine holds it.</summary>
/// <param name="Id">The content-addressed image id (<c>sha256:…</c>) every local image has.</param>
/// <param name="RepoDigests">Registry manifest digests (<c>repo@sha256:…</c>); empty for an image built here and never
/// pushed or pulled.</param>
public sealed record ImageIdentity(string Id, IReadOnlyList<string> RepoDigests);

/// <summary>No engine to ask (a host composed with a fake runtime): images stay unpinned, named by their reference.</summary>
public sealed class NoImageResolver : IImageResolver
{
    public Task<ImageIdentity?> ResolveImageAsync(string reference, CancellationToken cancellationToken) => Task.FromResult<ImageIdentity?>(null);

    public Task<string> ResolveInRegistryAsync(string reference, CancellationToken cancellationToken) =>
        Task.FromException<string>(new ContainerOperationException($"no engine to ask the registry of {reference}"));
}
