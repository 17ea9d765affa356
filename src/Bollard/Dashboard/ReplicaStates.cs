using Bollard.Scaler.Runtime;

namespace Bollard.Dashboard;

/// <summary>The state a replica is shown in, from what the engine, the catalog and the reconciler say of it.</summary>
internal static class ReplicaStates
{
    public const string Starting = "starting";
    public const string Ready = "ready";
    public const string Unhealthy = "unhealthy";
    public const string Draining = "draining";
    public const string Stopped = "stopped";

    /// <param name="run">What the engine says.</param>
    /// <param name="removing">The reconciler has begun removing it.</param>
    /// <param name="healthyInCatalog">The catalog lists it among the healthy instances of its service.</param>
    /// <param name="registered">It passed its first check and was registered (so failing now means unhealthy, not starting).</param>
    public static string Of(ContainerRunState run, bool removing, bool healthyInCatalog, bool registered) => run switch
    {
        ContainerRunState.Stopped => Stopped,
        _ when removing => Draining,
        ContainerRunState.Created => Starting,
        _ when healthyInCatalog => Ready,
        _ when registered => Unhealthy,
        _ => Starting,
    };
}
