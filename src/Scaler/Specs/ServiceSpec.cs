using System.Runtime.CompilerServices;

namespace Bollard.Scaler.Specs;

/// <summary>
/// What the operator asked for one service, as read from its YAML file. Immutable; defaults are named in
/// <see cref="SpecDefaults"/> and documented in the README.
/// </summary>
public sealed record ServiceSpec
{
    /// <summary>Service name: lower-case letters, digits and dashes; the catalog and route name.</summary>
    public required string Name { get; init; }

    /// <summary>Image reference present on the hosts (e.g. <c>bollard-sample:v1</c>).</summary>
    public required string Image { get; init; }

    /// <summary>
    /// What <see cref="Image"/> named on the engine when the spec was applied: a registry digest or a local image id
    /// (Runtime/ImagePins). Containers are created from it and the version hashes it, so re-tagging an image never
    /// changes a running version. Null until resolved (not part of the YAML).
    /// </summary>
    public string? PinnedImage { get; init; }

    /// <summary>The TCP port the app listens on inside the container.</summary>
    public required int Port { get; init; }

    /// <summary>How many replicas to run: a fixed count, or the range the autoscaler moves within.</summary>
    public ReplicaRange Replicas { get; init; } = ReplicaRange.Fixed(SpecDefaults.Replicas);

    /// <summary>Target tracking within <see cref="Replicas"/>; null keeps the count at <see cref="ReplicaRange.Min"/>.</summary>
    public AutoscalingSpec? Autoscaling { get; init; }

    /// <summary>How replicas spread over zones and hosts.</summary>
    public PlacementSpec Placement { get; init; } = new();

    /// <summary>
    /// The containers' environment: variables (every value a secret by default) and env files read on the host.
    /// Its values count in the version through their keyed digest only.
    /// </summary>
    public ServiceEnvironment Env { get; init; } = ServiceEnvironment.Empty;

    /// <summary>How a replica's process is confined (user, read-only root, capabilities, tmpfs).</summary>
    public SecuritySpec Security { get; init; } = new();

    public HealthCheckSpec Health { get; init; } = new();

    /// <summary>How the balancer reaches the service; null when the service is not exposed through the balancer.</summary>
    public RouteSpec? Route { get; init; }

    public ResourcesSpec Resources { get; init; } = new();

    /// <summary>How long a replica being removed may take to finish its in-flight requests.</summary>
    public TimeSpan DrainTimeout { get; init; } = SpecDefaults.DrainTimeout;

    /// <summary>How long a stopping container gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan StopGracePeriod { get; init; } = SpecDefaults.StopGracePeriod;

    /// <summary>How a new version replaces the running one (rolling when the spec has no <c>rollout:</c> block).</summary>
    public Rollouts.RolloutSpec Rollout { get; init; } = Rollouts.RolloutSpec.Default;

    /// <summary>How a version whose replicas keep failing at start is backed off (<c>crashBackoff:</c>).</summary>
    public CrashBackoffSpec CrashBackoff { get; init; } = CrashBackoffSpec.Default;

    /// <summary>The file the spec came from, for messages.</summary>
    public string Source { get; init; } = "";

    /// <summary>
    /// The immutable version: a hash of everything that shapes a container. Any change gives a new version and so
    /// new containers; nothing is changed in place.
    /// </summary>
    public string Version => Versions.GetValue(this, static spec => VersionId.Compute(spec));

    /// <summary>The name and image: a spec printed in a log shows no environment value.</summary>
    public override string ToString() => $"{Name} ({PinnedImage ?? Image})";

    // Read for every service several times on every reconcile pass (a SHA-256 each); an instance never changes (a
    // `with` copy is a new instance with an entry of its own), so it is computed once per instance.
    private static readonly ConditionalWeakTable<ServiceSpec, string> Versions = new();
}

/// <summary>The HTTP health check of a replica: passing on a 2xx answer within the timeout.</summary>
public sealed record HealthCheckSpec
{
    public string Path { get; init; } = SpecDefaults.HealthPath;

    public TimeSpan Interval { get; init; } = SpecDefaults.HealthInterval;

    public TimeSpan Timeout { get; init; } = SpecDefaults.HealthTimeout;

    /// <summary>A new replica that has not passed once within this period is replaced.</summary>
    public TimeSpan StartPeriod { get; init; } = SpecDefaults.HealthStartPeriod;

    /// <summary>Consecutive failed checks after which a running replica is taken out of routing and replaced.</summary>
    public int UnhealthyThreshold { get; init; } = SpecDefaults.UnhealthyThreshold;
}

/// <summary>Requests for this host and/or under this path prefix go to the service.</summary>
public sealed record RouteSpec(string? Host, string? PathPrefix)
{
    /// <summary>How long a replica may take to start answering (and may pause mid-body); null: the balancer's default (100 s).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Requests of this service in progress at once above which the balancer sheds load; null: its default (1000).</summary>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary>How long a replica new to the balancer ramps up to its full share (0: no ramp); null: the balancer's (agent config, 10 s).</summary>
    public TimeSpan? SlowStart { get; init; }

    /// <summary>How the balancer speaks to the replicas: HTTP/1.1 (default), HTTP/2 without TLS (h2c), or gRPC (h2c, every call a stream).</summary>
    public RouteProtocol Protocol { get; init; }

    /// <summary>Requests arriving over plain HTTP are redirected to the agent's HTTPS listener (308) instead of proxied.</summary>
    public bool HttpsRedirect { get; init; }

    /// <summary>Requests per second each client may send (by address, or by a header's value); null: no limit.</summary>
    public RateLimitSpec? RateLimit { get; init; }
}

/// <summary>
/// A route's rate limit (<c>route.rateLimit</c>): a token bucket per client of <paramref name="Burst"/> requests,
/// refilled by <paramref name="PerSecond"/> a second. Beyond it, 429 with Retry-After.
/// </summary>
/// <param name="PerSecond">Requests a second each client may send, sustained.</param>
/// <param name="Burst">Requests a client may send at once after a quiet spell (at least 1).</param>
/// <param name="Header">Clients are told apart by this header's value (e.g. an API key) instead of their address; null: by address.</param>
public sealed record RateLimitSpec(int PerSecond, int Burst, string? Header = null);

/// <summary>The protocol between the balancer and a service's replicas (<c>route.protocol</c>).</summary>
public enum RouteProtocol
{
    Http1,
    Http2,
    Grpc,
}

/// <summary>Container resource limits; null means no limit.</summary>
public sealed record ResourcesSpec(double? Cpus = null, long? MemoryBytes = null)
{
    /// <summary>The most processes and threads the container may run at once (a fork bomb stops there).</summary>
    public int Pids { get; init; } = SpecDefaults.Pids;
}

/// <summary>The defaults of every optional field, in one place (the README's table mirrors this).</summary>
public static class SpecDefaults
{
    public const int Replicas = 1;
    public const string HealthPath = "/health";
    public const int UnhealthyThreshold = 3;
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HealthStartPeriod = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CrashBackoffInitial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CrashBackoffMax = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan CrashBackoffResetAfter = TimeSpan.FromMinutes(3);

    /// <summary>The range a route's <c>timeout</c> may take (the balancer's own setting allows the same).</summary>
    public static readonly TimeSpan MinRouteTimeout = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxRouteTimeout = TimeSpan.FromHours(1);
    public const int MaxConcurrentRequestsLimit = 10_000_000;
    public static readonly TimeSpan MaxSlowStart = TimeSpan.FromHours(1);

    /// <summary>A replica's PID limit unless <c>resources.pids</c> says otherwise (a .NET app runs some 20-40 threads).</summary>
    public const int Pids = 1024;

    /// <summary>A tmpfs mount's size unless its <c>size</c> says otherwise.</summary>
    public const long TmpfsSizeBytes = 64L * 1024 * 1024;
}
