namespace Bollard.Scaler.Runtime;

/// <summary>A lifecycle event of a managed container (Docker's action: start, die, destroy, kill, stop...).</summary>
public sealed record ContainerEvent(string ContainerId, string Action, string Service);
