namespace Bollard.Scaler.Runtime;

/// <summary>
/// The labels Bollard puts on every container it creates. They are how a restarted daemon re-adopts its replicas:
/// the labels, not any local file, are the record of what runs.
/// </summary>
public static class ContainerLabels
{
    public const string ManagedBy = "io.bollard.managed-by";
    public const string ManagedByValue = "bollard";
    public const string Cluster = "io.bollard.cluster";
    public const string Service = "io.bollard.service";
    public const string Version = "io.bollard.version";
    public const string Zone = "io.bollard.zone";
    public const string ContainerPort = "io.bollard.container-port";

    /// <summary>The image reference the spec named (the container itself runs the pinned image).</summary>
    public const string Image = "io.bollard.image";

    /// <summary>The version's container settings as JSON, so an agent that lost its deployment record still knows
    /// what a running version is (see Deployments/VersionSettings).</summary>
    public const string Settings = "io.bollard.settings";
}
