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

        // At once, before a reconcile pass has recorded it, the rollout is shown as starting (a script may watch it
        // right after starting it); then as recorded by the pass.
        var (status, shown, statusError) = await daemon.RunAsync("rollout", "status", daemon.Agent.Service);
        Assert.True(status == CommandLine.Ok, statusError);
        Assert.Contains("rolling", shown, StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () => await daemon.RunAsync("rollout", "status", daemon.Agent.Service) is { Code: CommandLine.Ok } recorded && !recorded.Out.Contains("next reconcile pass", StringComparison.Ordinal),
            "the rollout's status as recorded by a reconcile pass");
    }
}
