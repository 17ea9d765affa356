using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Specs;

public sealed class SpecLoaderTests
{
    private const string Valid = """
        name: web
        image: bollard-sample:v1
        port: 8080
        replicas: 3
        env:
          LATENCY_MS: "5"
        health:
          path: /health
          interval: 500ms
          timeout: 1s
        route:
          pathPrefix: /api/
          host: Web.Example.com
        resources:
          cpus: 0.5
          memory: 128Mi
        drainTimeout: 5s
        """;

    [Fact]
    public void Reads_every_field_of_a_valid_spec()
    {
        var spec = Assert.Single(SpecLoader.LoadTexts([("web.yaml", Valid)]));

        Assert.Equal("web", spec.Name);
        Assert.Equal("bollard-sample:v1", spec.Image);
        Assert.Equal(8080, spec.Port);
        Assert.Equal(ReplicaRange.Fixed(3), spec.Replicas);
        Assert.Equal("5", spec.Env.Values["LATENCY_MS"]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), spec.Health.Interval);
        Assert.Equal(new RouteSpec("web.example.com", "/api"), spec.Route);
        Assert.Equal(new ResourcesSpec(0.5, 128L * 1024 * 1024), spec.Resources);
        Assert.Equal(TimeSpan.FromSeconds(5), spec.DrainTimeout);
        Assert.Equal(SpecDefaults.StopGracePeriod, spec.StopGracePeriod);
    }

    [Fact]
    public void Defaults_apply_to_omitted_fields()
    {
        var spec = Assert.Single(SpecLoader.LoadTexts([("a.yaml", "name: a\nimage: app:1\nport: 80\n")]));

        Assert.Equal(ReplicaRange.Fixed(SpecDefaults.Replicas), spec.Replicas);
        Assert.Equal(SpecDefaults.HealthPath, spec.Health.Path);
        Assert.Null(spec.Route);
    }

    [Theory]
    [InlineData("name: web\nimage: app:1\nport: 80\nreplicas: three\n", "web.yaml:4:11: replicas: must be a whole number from 0 to 1000, got 'three'")]
    [InlineData("name: web\nimage: app:1\nport: 99999\n", "web.yaml:3:7: port: must be a whole number from 1 to 65535")]
    [InlineData("name: Web_1\nimage: app:1\nport: 80\n", "web.yaml:1:7: name: 'Web_1' is not a valid service name")]
    [InlineData("name: bollard-agent\nimage: app:1\nport: 80\n", "web.yaml:1:7: name: 'bollard-agent' is reserved")]
    [InlineData("name: web\nport: 80\n", "web.yaml:1:1: image: is required")]
    [InlineData("name: web\nimage: app:1\nport: 80\nreplica: 3\n", "web.yaml:4:1: replica: unknown field (allowed here: ")]
    [InlineData("name: web\nimage: app:1\nport: 80\nhealth:\n  interval: soon\n", "web.yaml:5:13: health.interval: must be a duration")]
    [InlineData("name: web\nimage: app:1\nport: 80\nroute:\n  pathPrefix: api\n", "web.yaml:5:15: route.pathPrefix: must start with '/'")]
    [InlineData("name: web\nimage: app:1\nport: 80\nroute: {}\n", "route.pathPrefix: a route needs a host, a pathPrefix, or both")]
    [InlineData("name: web\nimage: [app\nport: 80\n", "web.yaml: malformed YAML")]
    [InlineData("- just\n- a list\n", "web.yaml:1:1: a service spec must be a mapping")]
    [InlineData("name: web\nimage: app:1\nport: 80\nresources:\n  memory: lots\n", "web.yaml:5:11: resources.memory: must be a size")]
    public void Invalid_specs_name_the_file_line_field_and_what_is_allowed(string yaml, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadTexts([("web.yaml", yaml)]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_range_with_autoscaling_and_placement_is_read()
    {
        var spec = Assert.Single(SpecLoader.LoadTexts([("web.yaml", """
            name: web
            image: app:1
            port: 80
            replicas: {min: 2, max: 10}
            autoscaling:
              metrics:
                - {type: rps, target: 50}
                - {type: p95, target: 200ms}
                - {type: cpu, target: 70}
              tolerance: 0.2
              scaleDown: {stabilization: 30s, maxReplicas: 2}
            placement: {maxSkew: 2}
            """)]));

        Assert.Equal(new ReplicaRange(2, 10), spec.Replicas);
        Assert.NotNull(spec.Autoscaling);
        Assert.Equal(
            [new MetricTarget(MetricKind.RequestsPerSecond, 50), new MetricTarget(MetricKind.P95LatencyMs, 200), new MetricTarget(MetricKind.CpuPercent, 70)],
            spec.Autoscaling.Metrics.ToArray());
        Assert.Equal(0.2, spec.Autoscaling.Tolerance);
        Assert.Equal(AutoscalingDefaults.ScaleUp, spec.Autoscaling.ScaleUp);
        Assert.Equal(new ScalingRules(TimeSpan.FromSeconds(30), 2, 100, TimeSpan.FromSeconds(15)), spec.Autoscaling.ScaleDown);
        Assert.Equal(new PlacementSpec(2), spec.Placement);
    }

    [Theory]
    [InlineData("replicas: {min: 5, max: 2}\n", "replicas.max: must be at least min (5), got 2")]
    [InlineData("replicas: 3\nautoscaling:\n  metrics:\n    - {type: rps, target: 5}\n", "autoscaling: needs a replica range to move within")]
    [InlineData("replicas: {min: 1, max: 3}\nautoscaling: {}\n", "autoscaling.metrics: needs at least one metric")]
    [InlineData("replicas: {min: 1, max: 3}\nautoscaling:\n  metrics:\n    - {type: qps, target: 5}\n", "autoscaling.metrics[0].type: 'qps' is not a metric (allowed: rps, inflight, p95, cpu)")]
    [InlineData("replicas: {min: 1, max: 3}\nautoscaling:\n  metrics:\n    - {type: p95, target: 200}\n", "autoscaling.metrics[0].target: must be a duration")]
    [InlineData("placement: {maxSkew: 0}\n", "placement.maxSkew: must be a whole number from 1 to 1000")]
    public void Invalid_scaling_fields_are_located(string tail, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() =>
            SpecLoader.LoadTexts([("web.yaml", "name: web\nimage: app:1\nport: 80\n" + tail)]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var error = Assert.Throws<SpecValidationException>(() =>
            SpecLoader.LoadTexts([("web.yaml", "name: web\nimage: app:1\nport: 0\nreplicas: -1\n")]));

        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public void Duplicate_names_and_routes_across_files_are_rejected()
    {
        var error = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadTexts(
        [
            ("a.yaml", "name: web\nimage: app:1\nport: 80\nroute:\n  pathPrefix: /\n"),
            ("b.yaml", "name: web\nimage: app:2\nport: 80\n---\nname: api\nimage: app:1\nport: 80\nroute:\n  pathPrefix: /\n"),
        ]));

        Assert.Contains("service 'web' is declared more than once", error.Message, StringComparison.Ordinal);
        Assert.Contains("declare the same route", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_is_reported_as_such()
    {
        var error = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadPath("/nonexistent/services"));

        Assert.Contains("/nonexistent/services: no such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_changes_with_container_settings_only()
    {
        var key = Scaler.Secrets.SecretKey.Ephemeral();
        var spec = Scaler.Secrets.EnvDigests.Apply(Assert.Single(SpecLoader.LoadTexts([("web.yaml", Valid)])), key);

        Assert.Equal(spec.Version, (spec with { Replicas = ReplicaRange.Fixed(9), Route = null }).Version);
        Assert.NotEqual(spec.Version, (spec with { Image = "bollard-sample:v2" }).Version);
        Assert.NotEqual(spec.Version, Scaler.Secrets.EnvDigests.Apply(spec with { Env = spec.Env.With("LATENCY_MS", "6") }, key).Version);
        Assert.Matches("^[0-9a-f]{12}$", spec.Version);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_parse_with_their_unit(string text, int milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-1s")]
    [InlineData("1.5s")]
    [InlineData("s")]
    public void Durations_without_a_whole_number_and_unit_are_refused(string text) =>
        Assert.False(Durations.TryParse(text, out _));
}
