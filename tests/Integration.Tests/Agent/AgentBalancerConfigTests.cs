using Bollard.Agent;
using Bollard.Balancer;
using Bollard.Balancer.LoadBalancing;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The balancer block of the agent config: every field reaches its BalancerOptions setting.</summary>
public sealed class AgentBalancerConfigTests
{
    [Fact]
    public void Zones_default_to_prefer_local_and_can_be_spread()
    {
        Assert.Equal(ZoneMode.PreferLocal, OptionsOf("zone: a\n").ZoneMode);
        Assert.Equal(ZoneMode.Spread, OptionsOf("balancer:\n  zones: spread\n").ZoneMode);
        Assert.Equal(ZoneMode.PreferLocal, OptionsOf("balancer: {zones: preferLocal}\n").ZoneMode);
    }

    [Fact]
    public void A_wrong_zone_mode_is_located_with_what_is_allowed()
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", "balancer:\n  zones: nearest\n"));

        Assert.Contains("agent.yaml:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nearest' is not a zone mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("spread", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_balancer_block_every_setting_keeps_the_balancers_default()
    {
        var options = OptionsOf("zone: a\n");
        var defaults = new BalancerOptions();

        Assert.Equal(defaults.SlowStartWindow, options.SlowStartWindow);
        Assert.Equal(defaults.Picking, options.Picking);
        Assert.Equal(defaults.ConnectTimeout, options.ConnectTimeout);
        Assert.Equal(defaults.ActiveHealthChecks.Interval, options.ActiveHealthChecks.Interval);
        Assert.Equal(defaults.OutlierDetection.ConsecutiveFailures, options.OutlierDetection.ConsecutiveFailures);
        Assert.Equal(defaults.Retries.MaxRetries, options.Retries.MaxRetries);
        Assert.Equal(defaults.Shedding.MaxConcurrentRequests, options.Shedding.MaxConcurrentRequests);
    }

    [Fact]
    public void Slow_start_fields_can_be_set()
    {
        var options = OptionsOf("balancer:\n  slowStart: {window: 20s, minimumWeight: 0.25, aggression: 2, warmLoadLimit: 1.5}\n");

        Assert.Equal(TimeSpan.FromSeconds(20), options.SlowStartWindow);
        Assert.Equal(0.25, options.SlowStartMinimumWeight);
        Assert.Equal(2, options.SlowStartAggression);
        Assert.Equal(1.5, options.SlowStartWarmLoadLimit);
    }

    [Fact]
    public void Every_balancer_field_reaches_its_option_and_the_result_passes_the_balancers_validation()
    {
        var options = OptionsOf("""
            balancer:
              zones: spread
              zoneCapacityThreshold: 0.8
              picking: roundRobin
              stickyVersions: true
              connectTimeout: 750ms
              requestTimeout: 30s
              maxConcurrentRequests: 250
              retryAfterSeconds: 3
              healthChecks: {enabled: true, interval: 3s, timeout: 500ms, healthyThreshold: 3, unhealthyThreshold: 4}
              outlierDetection: {enabled: false, consecutiveFailures: 7, baseEjectionTime: 5s, maxEjectionTime: 2m, maxEjectedShare: 0.3}
              retries: {max: 1, budget: 0.1, minPerSecond: 2, maxBufferedBodyBytes: 1024, maxBufferedResponseBytes: 0}

            """);

        Assert.Equal(ZoneMode.Spread, options.ZoneMode);
        Assert.Equal(0.8, options.ZoneCapacityThreshold);
        Assert.Equal(DestinationPicking.RoundRobin, options.Picking);
        Assert.True(options.StickyVersions);
        Assert.Equal(TimeSpan.FromMilliseconds(750), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retries.RequestTimeout);
        Assert.Equal(250, options.Shedding.MaxConcurrentRequests);
        Assert.Equal(3, options.Shedding.RetryAfterSeconds);

        var checks = options.ActiveHealthChecks;
        Assert.Equal((true, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500), 3, 4),
            (checks.Enabled, checks.Interval, checks.Timeout, checks.HealthyThreshold, checks.UnhealthyThreshold));

        var outliers = options.OutlierDetection;
        Assert.Equal((false, 7, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), 0.3),
            (outliers.Enabled, outliers.ConsecutiveFailures, outliers.BaseEjectionTime, outliers.MaxEjectionTime, outliers.MaxEjectedShare));

        var retries = options.Retries;
        Assert.Equal((1, 0.1, 2, 1024, 0),
            (retries.MaxRetries, retries.BudgetRatio, retries.MinRetriesPerSecond, retries.MaxBufferedBodyBytes, retries.MaxBufferedResponseBytes));

        Assert.True(new BalancerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("balancer:\n  healthChecks: {interval: 1s, timeout: 2s}\n", "agent.yaml:2", "balancer.healthChecks.timeout: must be at most the interval (1s)")]
    [InlineData("balancer:\n  healthChecks: {timeout: 6s}\n", "agent.yaml:2", "balancer.healthChecks.timeout: must be at most the interval (5s)")]
    [InlineData("balancer:\n  healthChecks: {path: /ready}\n", "agent.yaml:2", "balancer.healthChecks.path: unknown field")]
    [InlineData("balancer:\n  healthChecks:\n    enabled: yes\n", "agent.yaml:3", "balancer.healthChecks.enabled: must be true or false, got 'yes'")]
    [InlineData("balancer:\n  outlierDetection: {baseEjectionTime: 10m}\n", "agent.yaml:2", "balancer.outlierDetection.baseEjectionTime: must be at most maxEjectionTime (5m)")]
    [InlineData("balancer:\n  picking: random\n", "agent.yaml:2", "balancer.picking: 'random' is not a picking rule")]
    [InlineData("balancer:\n  retries: {max: 11}\n", "agent.yaml:2", "balancer.retries.max: must be a whole number from 0 to 10")]
    [InlineData("balancer:\n  retries: {maxRetries: 1}\n", "agent.yaml:2", "balancer.retries.maxRetries: unknown field")]
    [InlineData("balancer:\n  slowStart: {windw: 20s}\n", "agent.yaml:2", "balancer.slowStart.windw: unknown field")]
    [InlineData("balancer:\n  maxConcurrentRequests: 0\n", "agent.yaml:2", "balancer.maxConcurrentRequests: must be a whole number from 1")]
    public void A_wrong_balancer_setting_is_located_with_what_is_allowed(string yaml, string where, string what)
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", yaml));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agent_runs_its_balancer_with_the_settings_of_its_config()
    {
        var state = Path.Combine(Path.GetTempPath(), TestEnvironment.UniqueName("balancer-config"));
        var config = AgentConfigLoader.Parse("agent.yaml", $$"""
            stateDir: {{state}}
            balancer:
              stickyVersions: true
              healthChecks: {interval: 3s, unhealthyThreshold: 4}
              retries: {max: 0}

            """);
        try
        {
            await using var app = AgentHost.Build(config, []);
            var options = app.Services.GetRequiredService<IOptions<BalancerOptions>>().Value;

            Assert.True(options.StickyVersions);
            Assert.Equal(TimeSpan.FromSeconds(3), options.ActiveHealthChecks.Interval);
            Assert.Equal(4, options.ActiveHealthChecks.UnhealthyThreshold);
            Assert.Equal(0, options.Retries.MaxRetries);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_host_config_parses_with_its_commented_balancer_block_turned_on()
    {
        var file = Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "systemd", "agent.yaml");
        var lines = File.ReadAllLines(file);
        var block = Array.FindIndex(lines, line => line.StartsWith("# balancer:", StringComparison.Ordinal));
        Assert.True(block >= 0, $"{file} has no commented balancer block");
        var uncommented = lines.Select((line, i) => i >= block && line.StartsWith("# ", StringComparison.Ordinal) ? line[2..] : line);

        var options = new BalancerOptions();
        AgentConfigLoader.Parse(file, string.Join('\n', uncommented)).Balancer.ApplyTo(options);

        Assert.True(new BalancerOptionsValidator().Validate(null, options).Succeeded);
    }

    private static BalancerOptions OptionsOf(string yaml)
    {
        var options = new BalancerOptions();
        AgentConfigLoader.Parse("agent.yaml", yaml).Balancer.ApplyTo(options);
        return options;
    }
}
