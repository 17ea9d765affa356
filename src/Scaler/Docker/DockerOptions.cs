namespace Bollard.Scaler.Docker;

/// <summary>How to reach the host's Docker engine. Bound from the <c>Docker</c> configuration section by the host.</summary>
public sealed class DockerOptions
{
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The engine's API endpoint: <c>unix://</c>, <c>tcp://</c>, <c>http://</c> or <c>https://</c>.</summary>
    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// The longest any one engine call may take before the engine counts as unavailable. A stop call gets its grace
    /// period on top of this; the event stream has no limit (it is meant to stay open).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many events may wait for the reader. When full the oldest are dropped: events only wake the reconcile
    /// loop, which re-lists anyway, so a lost event costs nothing but a redundant one costs nothing either.
    /// </summary>
    public int EventBufferCapacity { get; set; } = 256;

    /// <summary>
    /// A docker config file (the <c>~/.docker/config.json</c> format: <c>{"auths": {"registry.example.com": {"auth":
    /// "base64(user:password)"}}}</c>) with the credentials of the registries images are pulled from; null: pulls are
    /// anonymous. Read at each pull (a <c>docker login</c> takes effect at once), and never logged.
    /// </summary>
    public string? RegistryAuthFile { get; set; }

    /// <summary>The longest an image pull may take (downloading every layer) before it counts as failed.</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a running pull tells how far it is (in the log, and to the caller for its decisions).</summary>
    public TimeSpan PullProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
