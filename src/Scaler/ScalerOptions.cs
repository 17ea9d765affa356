namespace Bollard.Scaler;

/// <summary>Settings of the host agent's scaler. Defaults suit a single host; validated at start.</summary>
public sealed class ScalerOptions
{
    /// <summary>
    /// Name of the Bollard cluster this agent belongs to. Every container is labelled with it, and an agent only
    /// ever adopts or removes containers of its own cluster, so several clusters (or test runs) can share an engine.
    /// </summary>
    public string Cluster { get; set; } = "default";

    /// <summary>The name of this host (when the agent manages only its local engine).</summary>
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>The zone (rack) of this host; put on every replica it runs.</summary>
    public string Zone { get; set; } = "default";

    /// <summary>Host address container ports are published on. Loopback unless other hosts' balancers reach them.</summary>
    public string PublishAddress { get; set; } = "127.0.0.1";

    /// <summary>The address registered in the catalog for this host's replicas; defaults to <see cref="PublishAddress"/>.</summary>
    public string? AdvertiseAddress { get; set; }

    /// <summary>How often a pass runs when nothing wakes it (Docker events and catalog changes wake it sooner).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a pass runs while some replica is still starting, so it is registered soon after it passes.</summary>
    public TimeSpan StartingPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often the live load of autoscaled services is compared with their last decision between passes; a rise
    /// wakes the loop at once. Zero turns it off (load is then read only by the passes, every <see cref="ResyncInterval"/>).
    /// </summary>
    public TimeSpan LoadCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often a replica that has just been started is probed until its first check passes (at most for its start
    /// period), independently of the passes, so it is registered as soon as it answers.
    /// </summary>
    public TimeSpan StartupProbeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A registered replica failing its catalog check this long is removed from the catalog by the catalog.</summary>
    public TimeSpan DeregisterCriticalAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The availability assumed for one zone, for the expected availability shown in service status: with replicas in
    /// n zones it is 1 - (1 - a)^n (two zones of 99% give 99.99%).
    /// </summary>
    public double ZoneAvailability { get; set; } = 0.99;

    /// <summary>How many creates each engine gets at once, adapted to its answer times (see <see cref="Hosts.EngineLimit"/>).</summary>
    public Hosts.EngineLimitOptions CreateLimit { get; set; } = new();

    /// <summary>Longest wait between retries when Docker cannot be reached or a create keeps failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
