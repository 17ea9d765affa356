using Bollard.Agent;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The controller field of the agent config: local by default, cluster only with Consul.</summary>
public sealed class AgentControllerConfigTests
{
    [Fact]
    public void The_controller_is_local_unless_the_config_says_cluster()
    {
        Assert.Equal(ControllerMode.Local, AgentConfigLoader.Parse("agent.yaml", "zone: a\n").Controller);
        Assert.Equal(ControllerMode.Local, AgentConfigLoader.Parse("agent.yaml", "consul: {address: http://127.0.0.1:8500}\n").Controller);
        Assert.Equal(ControllerMode.Cluster, AgentConfigLoader.Parse("agent.yaml", "controller: cluster\nconsul: {address: http://127.0.0.1:8500}\n").Controller);
    }

    [Fact]
    public void Cluster_without_consul_is_located_and_says_what_is_missing()
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", "zone: a\ncontroller: cluster\n"));

        Assert.Contains("agent.yaml:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs a consul block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_controller_lists_the_modes()
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", "controller: leader\n"));

        Assert.Contains("'leader' is not a controller mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("cluster:", error.Message, StringComparison.Ordinal);
    }
}
