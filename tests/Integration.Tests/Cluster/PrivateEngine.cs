using System.Diagnostics;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// A Docker engine of one test alone (scripts/engines.sh, with the sample images loaded), which the test may stop: a
/// host that loses its engine. Never one of the shared engines. Named by BOLLARD_TEST_FAILOVER_ENGINE, h34 unless set.
/// </summary>
internal sealed class PrivateEngine : IAsyncDisposable
{
    private PrivateEngine(string name) => Name = name;

    public string Name { get; }

    public string Endpoint => TestEnvironment.EngineEndpoint(Name);

    public static async Task<PrivateEngine> StartAsync()
    {
        var engine = new PrivateEngine(Environment.GetEnvironmentVariable("BOLLARD_TEST_FAILOVER_ENGINE") ?? "h34");
        await RunAsync("start", engine.Name);
        return engine;
    }

    /// <summary>Stops the engine by its PID (its replicas were killed before): the host has lost its engine.</summary>
    public Task StopAsync() => RunAsync("stop", Name);

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task RunAsync(string verb, string name)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "engines.sh"), verb, name])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"engines.sh {verb} {name} failed: {await errors}");
        }
    }
}
