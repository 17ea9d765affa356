using System.Net;
using Bollard.Agent.Listeners;

namespace Bollard.Agent;

/// <summary>
/// The daemon's own settings (one YAML file, e.g. /etc/bollard/agent.yaml). Services are not in it: they live in
/// their own spec files, at <see cref="ServicesPath"/>. Defaults give a single host with only Docker.
/// </summary>
public sealed record AgentConfig
{
    /// <summary>The config file it was read from ("" when built in code).</summary>
    public string Source { get; init; } = "";

    /// <summary>Cluster name: labels every container; an agent adopts only its own cluster's containers.</summary>
    public string Cluster { get; init; } = "default";

    /// <summary>Zone (rack) of this host.</summary>
    public string Zone { get; init; } = "default";

    /// <summary>Where the balancer accepts traffic (<c>listen:</c>, one plain HTTP listener); with <see cref="Listeners"/>, the first one's address.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>The balancer's listeners (<c>listeners:</c>: HTTP or HTTPS, their certificates and HTTP versions); empty: <see cref="Listen"/> alone.</summary>
    public IReadOnlyList<ListenerConfig> Listeners { get; init; } = [];

    /// <summary>The listeners in force: <see cref="Listeners"/>, or a plain HTTP/1.1 one on <see cref="Listen"/>.</summary>
    public IReadOnlyList<ListenerConfig> EffectiveListeners => Listeners.Count > 0 ? Listeners : [ListenerConfig.Http(Listen)];

    /// <summary>
    /// Proxies in front of the balancer (a cloud load balancer) whose X-Forwarded-For / Forwarded headers name the
    /// client (<c>trustedProxies</c>); empty: the client is the connection's peer.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>The access log of every balancer listener without its own (<c>accessLog</c>); null: none.</summary>
    public AccessLogConfig? AccessLog { get; init; }

    /// <summary>What a client may ask of any listener (<c>limits:</c>): header and body sizes, the time to send headers.</summary>
    public ClientLimits Limits { get; init; } = new();

    /// <summary>The admin listener: /metrics, /healthz and the token-protected API under /v1 (loopback by default).</summary>
    public IPEndPoint Admin { get; init; } = new(IPAddress.Loopback, 9901);

    /// <summary>The admin listener's certificates (<c>admin.certificates</c>): HTTPS when set.</summary>
    public ListenerTls? AdminTls { get; init; }

    /// <summary>
    /// <c>admin.allowPlainHttp</c>: the admin listener may be plain HTTP on an address other hosts reach (the token then
    /// crosses the network in clear). Without it such an address needs <see cref="AdminTls"/>.
    /// </summary>
    public bool AdminAllowPlainHttp { get; init; }

    /// <summary>How often the HTTPS listeners' certificate files are read again for a renewal (<c>tls.reloadInterval</c>).</summary>
    public TimeSpan CertificateReloadInterval { get; init; } = DefaultCertificateReloadInterval;

    public static readonly TimeSpan DefaultCertificateReloadInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a stopping agent lets requests in flight finish (<c>shutdownTimeout</c>); its listeners stop accepting at
    /// once. Keep it below systemd's TimeoutStopSec (30 s in bollard.service).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A file holding the admin API's bearer token; null: one is generated into <see cref="StateDirectory"/>.</summary>
    public string? AdminTokenFile { get; init; }

    /// <summary>Durable local state: applied specs, audit log, the generated admin token (created 0700).</summary>
    public string StateDirectory { get; init; } = Scaler.State.StateDirectory.Default;

    /// <summary>A service spec file, or a directory of them (resolved against the config file's folder).</summary>
    public string ServicesPath { get; init; } = "services";

    public string DockerEndpoint { get; init; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// A docker config file (~/.docker/config.json format) holding the credentials of the registries images are pulled
    /// from (<c>docker.registryAuthFile</c>); null pulls anonymously. Read at each pull, never logged.
    /// </summary>
    public string? RegistryAuthFile { get; init; }

    /// <summary>The longest an image pull may take on this host (<c>docker.pullTimeout</c>).</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Host address container ports are published on.</summary>
    public string PublishAddress { get; init; } = "127.0.0.1";

    /// <summary>Address registered for this host's replicas; null means <see cref="PublishAddress"/>.</summary>
    public string? AdvertiseAddress { get; init; }

    /// <summary>Availability assumed for one zone, for the expected availability in service status.</summary>
    public double ZoneAvailability { get; init; } = 0.99;

    /// <summary>The name of this host (default: the machine name).</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>
    /// Several engines for this agent to manage, each standing for a host in a zone (e.g. three engines on one machine
    /// standing for three zones). Empty: the agent manages only its local engine (<see cref="DockerEndpoint"/>, <see cref="Zone"/>).
    /// </summary>
    public IReadOnlyList<HostConfig> Hosts { get; init; } = [];

    /// <summary>
    /// The balancer's settings (<c>balancer:</c>): zones, picking, slow start, health checks, outlier detection,
    /// retries, timeouts and shedding; the balancer's defaults where absent.
    /// </summary>
    public BalancerConfig Balancer { get; init; } = new();

    /// <summary>
    /// The secrets key file (env values sealed at rest and in commands, and digested into version ids); null: one is
    /// generated into <see cref="StateDirectory"/>. Every agent of a cluster needs the same key.
    /// </summary>
    public string? SecretsKeyFile { get; init; }

    /// <summary>The key file in force: <see cref="SecretsKeyFile"/>, else the state directory's.</summary>
    public string EffectiveSecretsKeyFile => SecretsKeyFile ?? Path.Combine(StateDirectory, Scaler.Secrets.SecretKey.DefaultFileName);

    /// <summary>Consul's HTTP address; null runs the embedded in-process catalog (single host).</summary>
    public Uri? ConsulAddress { get; init; }

    /// <summary>A file holding the Consul ACL token (never logged).</summary>
    public string? ConsulTokenFile { get; init; }

    /// <summary>The Consul ACL token is CONSUL_HTTP_TOKEN's (no token file is set); read when the agent is built, never held here.</summary>
    public bool ConsulTokenFromEnvironment { get; init; }

    /// <summary>PEM file of the CA(s) trusted for Consul's HTTPS certificate; null: the system's.</summary>
    public string? ConsulCaFile { get; init; }

    /// <summary>PEM client certificate shown to Consul over HTTPS, with <see cref="ConsulKeyFile"/>.</summary>
    public string? ConsulCertFile { get; init; }

    /// <summary>The PEM private key of <see cref="ConsulCertFile"/> (never logged).</summary>
    public string? ConsulKeyFile { get; init; }

    /// <summary>
    /// Who decides: this agent for its own hosts (<see cref="ControllerMode.Local"/>, the default), or one elected
    /// controller for every host of the cluster (<see cref="ControllerMode.Cluster"/>, needs Consul).
    /// </summary>
    public ControllerMode Controller { get; init; } = ControllerMode.Local;

    /// <summary>What the agent logs (<c>log: {level, format}</c>): information and up, as text, by default.</summary>
    public LogConfig Log { get; init; } = new();
}

/// <summary>The agent's logging: the lowest level written, and text (systemd's journal format under systemd) or one
/// JSON object a line (for a log shipper).</summary>
public sealed record LogConfig(Microsoft.Extensions.Logging.LogLevel Level = Microsoft.Extensions.Logging.LogLevel.Information, LogFormat Format = LogFormat.Text);

public enum LogFormat
{
    Text,
    Json,
}

public enum ControllerMode
{
    /// <summary>The agent reconciles the hosts of its own config, alone (a single host, or one agent for several engines).</summary>
    Local,

    /// <summary>
    /// Every agent publishes its hosts in Consul and runs the controller's commands for them; the agent holding the
    /// Consul lock reconciles all published hosts as one cluster.
    /// </summary>
    Cluster,
}

/// <summary>One engine the agent manages, and the zone it stands in.</summary>
public sealed record HostConfig(string Name, string Zone, string DockerEndpoint, string PublishAddress, string? AdvertiseAddress);
