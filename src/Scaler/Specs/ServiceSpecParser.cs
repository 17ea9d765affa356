using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Specs;

/// <summary>Turns one YAML document into a <see cref="ServiceSpec"/>, or into the list of everything wrong with it.</summary>
internal static partial class ServiceSpecParser
{
    private static readonly TimeSpan MaxHealthTiming = TimeSpan.FromMinutes(10);
    private const int MinPids = 16;
    private const int MaxPids = 1_000_000;

    public static ServiceSpec? Parse(string file, YamlMappingNode root, List<SpecError> errors)
    {
        var before = errors.Count;
        var spec = Read(new YamlMappingReader(file, "", root, errors));
        return errors.Count > before ? null : spec;
    }

    /// <summary>Reads every field of a spec document (also in recording mode, for the JSON Schema: see Schema/).</summary>
    internal static ServiceSpec? Read(YamlMappingReader yaml)
    {
        var name = yaml.Text("name", required: true);
        if (name is not null && !ServiceName().IsMatch(name))
        {
            yaml.Error("name", $"'{name}' is not a valid service name (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit)");
        }
        else if (name == Cluster.AgentHeartbeat.ServiceName)
        {
            yaml.Error("name", $"'{name}' is reserved: in cluster mode every agent registers itself in Consul under this name");
        }

        var image = yaml.Text("image", required: true);
        if (image is not null && !ImageReference().IsMatch(image))
        {
            yaml.Error("image", $"'{image}' is not a valid image reference (e.g. registry.example.com/team/app:1.2 or app@sha256:...)");
        }

        var port = yaml.WholeNumber("port", 1, 65535, required: true);
        var replicas = ParseReplicas(yaml);
        var autoscaling = AutoscalingSpecParser.Parse(yaml.Mapping("autoscaling"));
        if (autoscaling is not null && replicas.Min == replicas.Max)
        {
            yaml.Error("autoscaling", $"needs a replica range to move within, e.g. replicas: {{min: 2, max: 10}} (replicas is fixed at {replicas.Min})");
        }

        var placement = ParsePlacement(yaml.Mapping("placement"));
        var env = EnvSpecParser.Parse(yaml);
        var security = SecuritySpecParser.Parse(yaml.Mapping("security"));
        var health = ParseHealth(yaml.Mapping("health"));
        var route = ParseRoute(yaml.Mapping("route"));
        var resources = ParseResources(yaml.Mapping("resources"));
        var drain = yaml.Duration("drainTimeout", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? SpecDefaults.DrainTimeout;
        var grace = yaml.Duration("stopGracePeriod", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? SpecDefaults.StopGracePeriod;
        var rollout = RolloutSpecParser.Parse(yaml.Mapping("rollout"));
        var crashBackoff = ParseCrashBackoff(yaml.Mapping("crashBackoff"));
        yaml.RejectUnknownFields();

        if (name is null || image is null || port is null)
        {
            return null;
        }

        return new ServiceSpec
        {
            Name = name,
            Image = image,
            Port = port.Value,
            Replicas = replicas,
            Autoscaling = autoscaling,
            Placement = placement,
            Env = env,
            Security = security,
            Health = health,
            Route = route,
            Resources = resources,
            DrainTimeout = drain,
            StopGracePeriod = grace,
            Rollout = rollout,
            CrashBackoff = crashBackoff,
            Source = yaml.File,
        };
    }

    private static ReplicaRange ParseReplicas(YamlMappingReader yaml)
    {
        if (!yaml.HasMapping("replicas"))
        {
            return ReplicaRange.Fixed(yaml.WholeNumber("replicas", 0, 1000) ?? SpecDefaults.Replicas);
        }

        var range = yaml.Mapping("replicas")!;
        var min = range.WholeNumber("min", 0, 1000, required: true) ?? 0;
        var max = range.WholeNumber("max", 1, 1000, required: true) ?? min;
        range.RejectUnknownFields();
        if (min > max)
        {
            range.Error("max", $"must be at least min ({min}), got {max}");
            return ReplicaRange.Fixed(min);
        }

        return new ReplicaRange(min, max);
    }

    private static PlacementSpec ParsePlacement(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return new PlacementSpec();
        }

        var spec = new PlacementSpec(yaml.WholeNumber("maxSkew", 1, 1000) ?? 1);
        yaml.RejectUnknownFields();
        return spec;
    }

    private static HealthCheckSpec ParseHealth(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return new HealthCheckSpec();
        }

        var path = yaml.Text("path") ?? SpecDefaults.HealthPath;
        if (!path.StartsWith('/'))
        {
            yaml.Error("path", $"must start with '/', got '{path}'");
        }

        var spec = new HealthCheckSpec
        {
            Path = path,
            Interval = yaml.Duration("interval", TimeSpan.FromMilliseconds(100), MaxHealthTiming) ?? SpecDefaults.HealthInterval,
            Timeout = yaml.Duration("timeout", TimeSpan.FromMilliseconds(50), MaxHealthTiming) ?? SpecDefaults.HealthTimeout,
            StartPeriod = yaml.Duration("startPeriod", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? SpecDefaults.HealthStartPeriod,
            UnhealthyThreshold = yaml.WholeNumber("unhealthyThreshold", 1, 100) ?? SpecDefaults.UnhealthyThreshold,
        };
        yaml.RejectUnknownFields();
        return spec;
    }

    private static CrashBackoffSpec ParseCrashBackoff(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return CrashBackoffSpec.Default;
        }

        var initial = yaml.Duration("initial", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? SpecDefaults.CrashBackoffInitial;
        var max = yaml.Duration("max", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(24)) ?? SpecDefaults.CrashBackoffMax;
        var reset = yaml.Duration("resetAfter", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)) ?? SpecDefaults.CrashBackoffResetAfter;
        yaml.RejectUnknownFields();
        if (max < initial)
        {
            yaml.Error("max", $"must be at least initial ({Durations.Format(initial)}), got {Durations.Format(max)}");
        }

        return new CrashBackoffSpec { Initial = initial, Max = max, ResetAfter = reset };
    }

    private static RouteSpec? ParseRoute(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return null;
        }

        var host = yaml.Text("host");
        var prefix = yaml.Text("pathPrefix");
        var timeout = yaml.Duration("timeout", SpecDefaults.MinRouteTimeout, SpecDefaults.MaxRouteTimeout);
        var maxConcurrent = yaml.WholeNumber("maxConcurrentRequests", 1, SpecDefaults.MaxConcurrentRequestsLimit);
        var slowStart = yaml.Duration("slowStart", TimeSpan.Zero, SpecDefaults.MaxSlowStart);
        var protocol = ParseRouteProtocol(yaml);
        var httpsRedirect = yaml.Flag("httpsRedirect") ?? false;
        var rateLimit = ParseRateLimit(yaml.Mapping("rateLimit"));
        yaml.RejectUnknownFields();
        if (host is null && prefix is null)
        {
            yaml.Error("pathPrefix", "a route needs a host, a pathPrefix, or both");
            return null;
        }

        if (host is not null && !HostName().IsMatch(host))
        {
            yaml.Error("host", $"'{host}' is not a valid host name (no scheme, port or path)");
        }

        if (prefix is not null && (!prefix.StartsWith('/') || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('*', StringComparison.Ordinal)))
        {
            yaml.Error("pathPrefix", $"must start with '/' and hold no '?' or '*', got '{prefix}'");
        }

        return new RouteSpec(host?.ToLowerInvariant(), prefix is "/" ? "/" : prefix?.TrimEnd('/'))
        {
            Timeout = timeout,
            MaxConcurrentRequests = maxConcurrent,
            SlowStart = slowStart,
            Protocol = protocol,
            HttpsRedirect = httpsRedirect,
            RateLimit = rateLimit,
        };
    }

    private static RateLimitSpec? ParseRateLimit(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return null;
        }

        var perSecond = yaml.WholeNumber("perSecond", 1, 1_000_000, required: true);
        var burst = yaml.WholeNumber("burst", 1, 10_000_000);
        var header = yaml.Text("header");
        yaml.RejectUnknownFields();
        if (header is not null && (header.Length == 0 || header.Any(c => c <= ' ' || c >= 127 || c == ':')))
        {
            yaml.Error("header", $"'{header}' is not a header name");
            header = null;
        }

        return perSecond is { } rate ? new RateLimitSpec(rate, burst ?? rate, header) : null;
    }

    private static RouteProtocol ParseRouteProtocol(YamlMappingReader yaml)
    {
        switch (yaml.Text("protocol"))
        {
            case null or "http1":
                return RouteProtocol.Http1;
            case "http2":
                return RouteProtocol.Http2;
            case "grpc":
                return RouteProtocol.Grpc;
            case var other:
                yaml.Error("protocol", $"'{other}' is not a protocol (http1: HTTP/1.1; http2: HTTP/2 without TLS, h2c; grpc: gRPC over h2c, every call a stream)");
                return RouteProtocol.Http1;
        }
    }

    private static ResourcesSpec ParseResources(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return new ResourcesSpec();
        }

        var cpus = yaml.Number("cpus", 0.01, 1024);
        var pids = yaml.WholeNumber("pids", MinPids, MaxPids) ?? SpecDefaults.Pids;
        long? memory = null;
        if (yaml.Text("memory") is { } text)
        {
            memory = ByteSizes.TryParse(text, out var bytes) && bytes >= 4 * 1024 * 1024
                ? bytes
                : Invalid(yaml, text);
        }

        yaml.RejectUnknownFields();
        return new ResourcesSpec(cpus, memory) { Pids = pids };

        static long? Invalid(YamlMappingReader yaml, string text)
        {
            yaml.Error("memory", $"must be a size of at least 4Mi (e.g. 256Mi, 1Gi, 512M), got '{text}'");
            return null;
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex ServiceName();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$")]
    private static partial Regex ImageReference();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", RegexOptions.IgnoreCase)]
    private static partial Regex HostName();
}
