namespace Bollard.Scaler.Runtime;

/// <summary>
/// Whether an engine holds a container at all, whoever made it: how a host's agent tells a container that is already
/// gone (a stop or remove the controller sent from a report a moment old: nothing left to do) from one of another
/// cluster or made by hand (never to be touched). A runtime that cannot tell does not implement it.
/// </summary>
public interface IContainerPresence
{
    /// <summary>True when the engine holds a container with this id (running or not).</summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<bool> ContainerExistsAsync(string containerId, CancellationToken cancellationToken);
}
