using Bollard.Agent;
using Bollard.Balancer.LoadBalancing;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The balancer fields of the agent config.</summary>
public sealed class AgentBalancerConfigTests
{
    [Fact]
    public void Zones_default_to_prefer_local_and_can_be_spread()
    {
        Assert.Equal(ZoneMode.PreferLocal, AgentConfigLoader.Parse("agent.yaml", "zone: a\n").BalancerZoneMode);
        Assert.Equal(ZoneMode.Spread, AgentConfigLoader.Parse("agent.yaml", "balancer:\n  zones: spread\n").BalancerZoneMode);
        Assert.Equal(ZoneMode.PreferLocal, AgentConfigLoader.Parse("agent.yaml", "balancer: {zones: preferLocal}\n").BalancerZoneMode);
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
    public void Slow_start_takes_the_balancers_defaults_and_each_field_can_be_set()
    {
        var options = new Bollard.Balancer.BalancerOptions();
        AgentConfigLoader.Parse("agent.yaml", "zone: a\n").BalancerSlowStart.ApplyTo(options);
        Assert.Equal(Bollard.Balancer.BalancerOptions.DefaultSlowStartWindow, options.SlowStartWindow);

        var config = AgentConfigLoader.Parse("agent.yaml", "balancer:\n  slowStart: {window: 20s, minimumWeight: 0.25, aggression: 2, warmLoadLimit: 1.5}\n");
        config.BalancerSlowStart.ApplyTo(options);

        Assert.Equal(TimeSpan.FromSeconds(20), options.SlowStartWindow);
        Assert.Equal(0.25, options.SlowStartMinimumWeight);
        Assert.Equal(2, options.SlowStartAggression);
        Assert.Equal(1.5, options.SlowStartWarmLoadLimit);
    }

    [Fact]
    public void An_unknown_slow_start_field_is_refused()
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", "balancer:\n  slowStart: {windw: 20s}\n"));

        Assert.Contains("windw", error.Message, StringComparison.Ordinal);
    }
}
