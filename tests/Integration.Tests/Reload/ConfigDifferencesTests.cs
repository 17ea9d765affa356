using System.Net;
using Bollard.Agent;
using Bollard.Agent.Reload;
using Bollard.Balancer;
using Microsoft.Extensions.Options;

namespace Bollard.IntegrationTests.Reload;

/// <summary>What a reload changes in the balancer, by agent.yaml's names, and what it leaves for the next restart.</summary>
public sealed class ConfigDifferencesTests
{
    [Fact]
    public void Changed_balancer_fields_are_named_as_in_agent_yaml()
    {
        var before = new BalancerConfig { Retries = new RetriesConfig(Max: 2), SlowStart = new SlowStartConfig(Window: TimeSpan.FromSeconds(10)) };
        var after = before with { StickyVersions = true, Retries = new RetriesConfig(Max: 1), SlowStart = new SlowStartConfig(Window: TimeSpan.FromSeconds(10)) };

        Assert.Equal(["stickyVersions", "retries.max"], ConfigDifferences.Of(before, after));
        Assert.Empty(ConfigDifferences.Of(before, before with { }));
    }

    [Fact]
    public void Host_lists_are_compared_by_content()
    {
        var before = new AgentConfig { Hosts = [new HostConfig("h2", "b", "unix:///h2.sock", "127.0.0.1", null)] };
        var same = before with { Hosts = [new HostConfig("h2", "b", "unix:///h2.sock", "127.0.0.1", null)] };
        var moved = before with { Hosts = [new HostConfig("h2", "c", "unix:///h2.sock", "127.0.0.1", null)], Listen = new IPEndPoint(IPAddress.Loopback, 81) };

        Assert.Empty(ConfigDifferences.Of(before, same, ignored: new HashSet<string> { "Balancer" }));
        Assert.Equal(["listen", "hosts"], ConfigDifferences.Of(before, moved, ignored: new HashSet<string> { "Balancer" }));
    }

    [Fact]
    public void Balancer_settings_the_balancer_refuses_change_nothing()
    {
        var source = new BalancerSettingsSource(new AgentConfig { Balancer = new BalancerConfig { Retries = new RetriesConfig(Max: 2) } });
        var token = source.GetChangeToken();
        IValidateOptions<BalancerOptions>[] validators = [new RefuseSlowStartOver(TimeSpan.FromMinutes(1))];

        Assert.Throws<OptionsValidationException>(() => source.Change(new BalancerConfig { SlowStart = new SlowStartConfig(Window: TimeSpan.FromMinutes(2)) }, validators));
        Assert.False(token.HasChanged);
        Assert.Equal(2, source.Current.Retries.Max);

        Assert.Equal(["retries.max"], source.Change(new BalancerConfig { Retries = new RetriesConfig(Max: 0) }, validators));
        Assert.True(token.HasChanged);
        var options = new BalancerOptions();
        source.Configure(options);
        Assert.Equal(0, options.Retries.MaxRetries);
    }

    /// <summary>Stands for the balancer's own validation, with a rule a test can break on purpose.</summary>
    private sealed class RefuseSlowStartOver(TimeSpan limit) : IValidateOptions<BalancerOptions>
    {
        public ValidateOptionsResult Validate(string? name, BalancerOptions options) =>
            options.SlowStartWindow > limit ? ValidateOptionsResult.Fail("slow start too long") : ValidateOptionsResult.Success;
    }
}
