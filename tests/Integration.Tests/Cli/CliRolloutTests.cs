using Bollard.Cli;

namespace Bollard.IntegrationTests.Cli;

/// <summary>`bollard rollout` against a daemon of its own (a rollout changes the service the other CLI tests use).</summary>
public sealed class CliRolloutTests : IAsyncLifetime
{
    private readonly CliDaemonFixture daemon = new();

    public Task InitializeAsync() => daemon.InitializeAsync();

    public Task DisposeAsync() => daemon.DisposeAsync();

    [Fact]
    public async Task A_rollout_starts_from_the_cli_and_its_status_is_shown()
    {
        var (before, _, missing) = await daemon.RunAsync("rollout", "status", daemon.Agent.Service);
        Assert.Equal(CommandLine.Failed, before);
        Assert.Contains("(404)", missing, StringComparison.Ordinal);

        var (code, output, error) = await daemon.RunAsync("rollout", "start", daemon.Agent.Service, "--image", $"{TestEnvironment.SampleImage}:v2");
        Assert.True(code == CommandLine.Ok, error);
        Assert.Contains("rolling", output, StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => (await daemon.RunAsync("rollout", "status", daemon.Agent.Service)).Code == CommandLine.Ok, "the rollout's status");
    }
}
