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

    /// <summary>A fresh name for one test's cluster, service or key, prefixed with the run id.</summary>
    public static string UniqueName(string what) => $"{RunId}-{what}-{Guid.NewGuid().ToString("N")[..8]}";
}
