namespace Bollard.IntegrationTests;

/// <summary>
/// Where the real services of the test run are. scripts/deps.sh starts them; the defaults match what it starts.
/// Every container a test creates carries the cluster label <see cref="RunId"/>, so that .ci/run (and the tests'
/// own clean-up) removes exactly what this run made and nothing else on a shared engine.
/// </summary>
internal static class TestEnvironment
{
    public static Uri DockerEndpoint { get; } =
        new(Environment.GetEnvironmentVariable("BOLLARD_TEST_DOCKER") ?? "unix:///var/run/docker.sock");

    public static Uri ConsulAddress { get; } =
        new(Environment.GetEnvironmentVariable("BOLLARD_TEST_CONSUL") ?? "http://127.0.0.1:8500");

    /// <summary>The sample workload image (scripts/build-images.sh builds it), without its tag.</summary>
    public static string SampleImage { get; } =
        Environment.GetEnvironmentVariable("BOLLARD_TEST_SAMPLE_IMAGE") ?? "bollard-sample";

    /// <summary>Unique per test run; set by .ci/run so that it can clean up after a crashed run.</summary>
    public static string RunId { get; } =
        Environment.GetEnvironmentVariable("BOLLARD_TEST_RUN_ID") ?? $"test-{Guid.NewGuid():N}"[..17];

    /// <summary>The repository's root (where scripts/ is), found from the test binary's folder.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// The names of the extra engines that stand for hosts in other zones (scripts/test.sh starts them with
    /// scripts/engines.sh and sets BOLLARD_TEST_ENGINES, e.g. "h2,h3").
    /// </summary>
    public static IReadOnlyList<string> ZoneEngines()
    {
        var names = Environment.GetEnvironmentVariable("BOLLARD_TEST_ENGINES");
        if (string.IsNullOrWhiteSpace(names))
        {
            throw new InvalidOperationException("BOLLARD_TEST_ENGINES is not set: run the tests through scripts/test.sh, or start engines with `scripts/engines.sh start h2 h3` and set BOLLARD_TEST_ENGINES=h2,h3");
        }

        return names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// The image registry on loopback (scripts/test.sh starts it with `scripts/deps.sh registry` and pushes the sample
    /// images there with scripts/registry-images.sh, as &lt;registry&gt;/bollard-sample:v1 and :v2).
    /// </summary>
    public static string Registry() =>
        Environment.GetEnvironmentVariable("BOLLARD_TEST_REGISTRY") is { Length: > 0 } registry
            ? registry
            : throw new InvalidOperationException("BOLLARD_TEST_REGISTRY is not set: run the tests through scripts/test.sh, or run `scripts/deps.sh registry && scripts/registry-images.sh` and set BOLLARD_TEST_REGISTRY=127.0.0.1:5055");

    /// <summary>The engine the image tests start empty (scripts/engines.sh start-empty) and stop; h33 unless set.</summary>
    public static string EmptyEngine { get; } = Environment.GetEnvironmentVariable("BOLLARD_TEST_EMPTY_ENGINE") ?? "h33";

    /// <summary>Runs scripts/engines.sh with a verb and an engine name; fails the test with its errors when it fails.</summary>
    public static async Task EnginesScriptAsync(string verb, string engine)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "scripts", "engines.sh"), verb, engine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"engines.sh {verb} {engine} failed: {await errors}");
        }
    }

    /// <summary>The endpoint of an engine started by scripts/engines.sh.</summary>
    public static string EngineEndpoint(string name) => $"unix:///tmp/bollard-engines/{name}/docker.sock";

    /// <summary>A fresh name for one test's cluster, service or key, prefixed with the run id.</summary>
    public static string UniqueName(string what) => $"{RunId}-{what}-{Guid.NewGuid().ToString("N")[..8]}";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "engines.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no scripts/engines.sh above {AppContext.BaseDirectory}");
    }
}
