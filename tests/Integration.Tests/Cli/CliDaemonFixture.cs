using Bollard.Cli;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;

namespace Bollard.IntegrationTests.Cli;

/// <summary>One running agent (real Docker, embedded catalog) shared by the CLI tests, with its generated token.</summary>
public sealed class CliDaemonFixture : IAsyncLifetime
{
    internal AgentFixture Agent { get; } = new(TestEnvironment.UniqueName("cli"), replicas: 1);

    public string Server => Agent.Admin.ToString().TrimEnd('/');

    public string TokenFile => Path.Combine(Agent.Config.StateDirectory, AdminToken.DefaultFileName);

    public Task InitializeAsync() => Agent.StartAsync();

    public async Task DisposeAsync() => await Agent.DisposeAsync();

    /// <summary>Runs the CLI against this daemon; returns the exit code and what it printed.</summary>
    public async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var context = new CliContext(output, error, _ => null, TimeProvider.System);
        string[] all = args is ["validate", ..] ? args : [.. args, "--server", Server, "--token-file", TokenFile];
        var code = await CommandLine.RunAsync(all, context, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
