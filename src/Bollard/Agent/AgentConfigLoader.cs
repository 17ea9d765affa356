using System.Net;
using Bollard.Agent.Listeners;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace Bollard.Agent;

/// <summary>Reads the agent's YAML config, reporting every problem with file, line and field.</summary>
public static class AgentConfigLoader
{
    /// <param name="file">The config file.</param>
    /// <param name="environment">The environment variables (the Consul ones fill what the consul block leaves out); the process's when null.</param>
    /// <exception cref="SpecValidationException">The file is missing, malformed or invalid.</exception>
    public static AgentConfig Load(string file, Func<string, string?>? environment = null)
    {
        if (!File.Exists(file))
        {
            throw new SpecValidationException([new SpecError(file, 0, 0, "", "config file not found")]);
        }

        return Parse(file, File.ReadAllText(file), environment);
    }

    public static AgentConfig Parse(string file, string text, Func<string, string?>? environment = null)
    {
        var errors = new List<SpecError>();
        var documents = YamlDocuments.Load(file, text, errors);
        if (documents is null)
        {
            throw new SpecValidationException(errors);
        }

        if (documents.Count == 0)
        {
            return new AgentConfig { Source = file };
        }

        if (documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SpecValidationException([new SpecError(file, 1, 1, "", "the agent config must be a mapping of fields")]);
        }

        var config = Read(new YamlMappingReader(file, "", root, errors), file, environment ?? Discovery.Consul.ConsulEnvironment.Process, errors);
        if (errors.Count > 0)
        {
            throw new SpecValidationException(errors);
        }

        return config;
    }

    /// <summary>The JSON Schema of agent.yaml, recorded from this loader's own reading of it (no CONSUL_* variables).</summary>
    public static System.Text.Json.Nodes.JsonObject Schema() =>
        Bollard.Scaler.Specs.Schema.SchemaRecorder.Record("Bollard agent config (agent.yaml)", yaml => Read(yaml, "agent.yaml", _ => null, []));

    private static AgentConfig Read(YamlMappingReader yaml, string file, Func<string, string?> environment, List<SpecError> errors)
    {
        var defaults = new AgentConfig();
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var docker = yaml.Mapping("docker");
        var consulBlock = yaml.Mapping("consul");
        var consul = ConsulConfigReader.Read(consulBlock, baseDir, file, environment, errors);
        var admin = yaml.HasMapping("admin") ? yaml.Mapping("admin") : null;
        var secrets = yaml.Mapping("secrets");
        var listeners = ListenerConfigReader.Read(yaml, baseDir);
        var listen = EndPoint(yaml, "listen");
        if (listen is not null && listeners is not null)
        {
            yaml.Error("listeners", "listen and listeners both say where the balancer listens: keep one (listen: ADDRESS is the one-line form of a single plain HTTP listener)");
        }

        var config = new AgentConfig
        {
            Source = file,
            Cluster = yaml.Text("cluster") ?? defaults.Cluster,
            Zone = yaml.Text("zone") ?? defaults.Zone,
            HostName = yaml.Text("host") ?? defaults.HostName,
            ZoneAvailability = yaml.Number("zoneAvailability", 0.0001, 0.999999) ?? defaults.ZoneAvailability,
            Hosts = ReadHosts(yaml),
            Listen = listeners is { Count: > 0 } ? listeners[0].Address : listen ?? defaults.Listen,
            Listeners = listeners ?? [],
            AccessLog = AccessLogConfig.Read(yaml, baseDir),
            Limits = ClientLimits.Read(yaml.Mapping("limits")),
            TrustedProxies = TrustedProxies(yaml),
            Admin = (admin is null ? EndPoint(yaml, "admin") : EndPoint(admin, "listen")) ?? defaults.Admin,
            AdminTls = admin is null ? null : ListenerConfigReader.ReadTls(admin, baseDir, required: false),
            AdminAllowPlainHttp = admin?.Flag("allowPlainHttp") ?? false,
            ShutdownTimeout = yaml.Duration("shutdownTimeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) ?? defaults.ShutdownTimeout,
            CertificateReloadInterval = ListenerConfigReader.ReloadInterval(yaml.Mapping("tls")) ?? defaults.CertificateReloadInterval,
            AdminTokenFile = admin?.Text("tokenFile") is { } tokenFile ? Path.GetFullPath(tokenFile, baseDir) : null,
            StateDirectory = yaml.Text("stateDir") is { } stateDir ? Path.GetFullPath(stateDir, baseDir) : defaults.StateDirectory,
            ServicesPath = Path.GetFullPath(yaml.Text("services") ?? defaults.ServicesPath, baseDir),
            DockerEndpoint = docker?.Text("endpoint") ?? defaults.DockerEndpoint,
            RegistryAuthFile = ExistingFile(docker, "registryAuthFile", baseDir),
            PullTimeout = docker?.Duration("pullTimeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(6)) ?? defaults.PullTimeout,
            PublishAddress = Address(docker, "publishAddress") ?? defaults.PublishAddress,
            AdvertiseAddress = Address(docker, "advertiseAddress"),
            SecretsKeyFile = secrets?.Text("keyFile") is { } keyFile ? Path.GetFullPath(keyFile, baseDir) : null,
            ConsulAddress = consul?.Address,
            ConsulTokenFile = consul?.TokenFile,
            ConsulTokenFromEnvironment = consul?.TokenFromEnvironment ?? false,
            ConsulCaFile = consul?.CaFile,
            ConsulCertFile = consul?.CertFile,
            ConsulKeyFile = consul?.KeyFile,
            Balancer = BalancerConfigReader.Read(yaml.Mapping("balancer")),
            Controller = ControllerOf(yaml, consul is not null) ?? defaults.Controller,
            Log = LogOf(yaml.Mapping("log")),
        };
        ListenerConfigReader.CheckAdmin(yaml, admin, config);
        TokenFilePermissions.Check(admin, "tokenFile", config.AdminTokenFile);
        TokenFilePermissions.Check(consulBlock, "tokenFile", config.ConsulTokenFile, consulBlock?.Text("tokenFile") is null ? ConsulEnvironment.TokenFile : null);
        docker?.RejectUnknownFields();
        consulBlock?.RejectUnknownFields();
        admin?.RejectUnknownFields();
        secrets?.RejectUnknownFields();
        yaml.RejectUnknownFields();
        return config;
    }

    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.Ordinal)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
    };

    private static LogConfig LogOf(YamlMappingReader? log)
    {
        if (log is null)
        {
            return new LogConfig();
        }

        var defaults = new LogConfig();
        var level = log.Choice("level", [.. LogLevels.Keys]);
        var format = log.Choice("format", ["text", "json"]);
        log.RejectUnknownFields();
        if (level is not null && !LogLevels.ContainsKey(level))
        {
            log.Error("level", $"'{level}' is not a log level (allowed: {string.Join(", ", LogLevels.Keys)})");
        }

        if (format is not null && format is not ("text" or "json"))
        {
            log.Error("format", $"'{format}' is not a log format (text: readable lines, the journal's format under systemd; json: one JSON object a line)");
        }

        return new LogConfig(
            level is not null && LogLevels.TryGetValue(level, out var chosen) ? chosen : defaults.Level,
            format == "json" ? LogFormat.Json : defaults.Format);
    }

    private static ControllerMode? ControllerOf(YamlMappingReader yaml, bool hasConsul)
    {
        switch (yaml.Choice("controller", ["local", "cluster"]))
        {
            case null:
                return null;
            case "local":
                return ControllerMode.Local;
            case "cluster" when hasConsul:
                return ControllerMode.Cluster;
            case "cluster":
                yaml.Error("controller", "'cluster' needs a consul block (consul: {address: http://127.0.0.1:8500}): the hosts, the controller's commands and its lock live in Consul");
                return null;
            case var other:
                yaml.Error("controller", $"'{other}' is not a controller mode (local: this agent reconciles the hosts of its config alone; cluster: one elected agent reconciles every host of the cluster, with Consul)");
                return null;
        }
    }

    private static List<IPNetwork> TrustedProxies(YamlMappingReader yaml)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in yaml.Items("trustedProxies") ?? [])
        {
            var text = item.Text ?? "";
            if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                item.Error($"'{text}' is not an IP address or network (10.0.0.5, 10.0.0.0/8, 2001:db8::/32)");
            }
        }

        return networks;
    }

    private static List<HostConfig> ReadHosts(YamlMappingReader yaml)
    {
        var hosts = new List<HostConfig>();
        foreach (var host in yaml.MappingList("hosts") ?? [])
        {
            var name = host.Text("name", required: true);
            var zone = host.Text("zone", required: true);
            var docker = host.Text("docker", required: true);
            var publish = Address(host, "publishAddress") ?? "127.0.0.1";
            var advertise = Address(host, "advertiseAddress");
            host.RejectUnknownFields();
            if (name is null || zone is null || docker is null)
            {
                continue;
            }

            if (hosts.Any(h => h.Name == name))
            {
                host.Error("name", $"host '{name}' is listed twice; host names must be unique");
            }

            hosts.Add(new HostConfig(name, zone, docker, publish, advertise));
        }

        return hosts;
    }

    /// <summary>A path (relative to the config file's folder) that must name an existing file.</summary>
    private static string? ExistingFile(YamlMappingReader? yaml, string key, string baseDir)
    {
        if (yaml?.Text(key) is not { } text)
        {
            return null;
        }

        var path = Path.GetFullPath(text, baseDir);
        if (!File.Exists(path))
        {
            yaml.Error(key, $"file {path} does not exist (a docker config file with the registries' credentials, as ~/.docker/config.json)");
        }

        return path;
    }

    private static IPEndPoint? EndPoint(YamlMappingReader yaml, string key)
    {
        var text = yaml.Text(key);
        if (text is null)
        {
            return null;
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535)
        {
            return endpoint;
        }

        yaml.Error(key, $"must be an IP address and port, e.g. 127.0.0.1:8080 or 0.0.0.0:80; got '{text}'");
        return null;
    }

    private static string? Address(YamlMappingReader? yaml, string key)
    {
        var text = yaml?.Text(key);
        if (text is null || IPAddress.TryParse(text, out _))
        {
            return text;
        }

        yaml!.Error(key, $"must be an IP address, got '{text}'");
        return null;
    }
}
