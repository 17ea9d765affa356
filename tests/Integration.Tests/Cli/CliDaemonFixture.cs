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

    /// <summary>Runs the real bollard executable against this daemon (--server and --token-file added, except for the
    /// offline verbs); returns the exit code and what it printed, after checking that no stack trace reached it.</summary>
    public async Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => await RunWithAsync(null, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="stdin"/> on standard input (a pipe, never a terminal).</summary>
    public async Task<(int Code, string Out, string Error)> RunWithAsync(string? stdin, params string[] args)
    {
        string[] all = args is ["validate", ..] or ["version", ..] or ["schema", ..] or ["completion", ..] ? args : [.. args, "--server", Server, "--token-file", TokenFile];
        var run = (await BollardExecutable.RunAsync(all, stdin)).WithoutStackTrace();
        return (run.Code, run.Out, run.Error);
    }
}
