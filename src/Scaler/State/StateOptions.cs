namespace Bollard.Scaler.State;

/// <summary>Where durable state lives: in Consul KV when the cluster uses Consul, in files on this host otherwise.</summary>
public sealed class StateOptions
{
    public StateBackend Backend { get; set; } = StateBackend.Local;

    /// <summary>The local state directory (also holds the generated admin token); created 0700.</summary>
    public string Directory { get; set; } = StateDirectory.Default;

    /// <summary>The cluster name: the Consul keys live under <c>bollard/&lt;cluster&gt;/</c>.</summary>
    public string Cluster { get; set; } = "default";
}

public enum StateBackend
{
    /// <summary>Files under <see cref="StateOptions.Directory"/>.</summary>
    Local,

    /// <summary>Consul KV (the agent configured for discovery).</summary>
    Consul,
}
