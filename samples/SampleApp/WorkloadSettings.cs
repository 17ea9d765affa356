using System.Globalization;

namespace Bollard.SampleApp;

/// <summary>
/// What the replica is and what each request costs. The costs and the health switch change at run time (admin
/// endpoints), so that tests can make one replica slow, failing or unhealthy while it keeps running.
/// </summary>
internal sealed class WorkloadSettings
{
    private volatile WorkloadCosts costs;
    private volatile bool failHealth;

    public WorkloadSettings(string replica, string version, string zone, WorkloadCosts costs, bool failHealth)
    {
        Replica = replica;
        Version = version;
        Zone = zone;
        this.costs = costs;
        this.failHealth = failHealth;
    }

    public string Replica { get; }

    public string Version { get; }

    public string Zone { get; }

    public WorkloadCosts Costs
    {
        get => costs;
        set => costs = value;
    }

    public bool FailHealth
    {
        get => failHealth;
        set => failHealth = value;
    }

    /// <summary>Reads the environment; REPLICA_ID defaults to the hostname, which Docker sets to the short container id.</summary>
    public static WorkloadSettings FromEnvironment()
    {
        var costs = new WorkloadCosts(
            LatencyMs: ReadInt("LATENCY_MS"),
            CpuMs: ReadInt("CPU_MS"),
            ErrorRate: ReadDouble("ERROR_RATE"));
        var fail = Read("FAIL_HEALTH") is "1" or "true" or "TRUE" or "True";
        return new WorkloadSettings(
            replica: Read("REPLICA_ID") ?? Environment.MachineName,
            version: Read("VERSION") ?? "v1",
            zone: Read("ZONE") ?? Read("BOLLARD_ZONE") ?? "", // Bollard tells every replica its zone
            costs: costs.Validate(),
            failHealth: fail);
    }

    private static string? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int ReadInt(string name) =>
        Read(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : 0;

    private static double ReadDouble(string name) =>
        Read(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : 0;
}

/// <summary>The added cost of each request: a wait, a busy spin, and a share of requests answered with 500.</summary>
internal sealed record WorkloadCosts(int LatencyMs, int CpuMs, double ErrorRate)
{
    public WorkloadCosts Validate()
    {
        if (LatencyMs < 0 || CpuMs < 0)
        {
            throw new ArgumentException($"latency ({LatencyMs} ms) and CPU cost ({CpuMs} ms) must not be negative");
        }

        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
        {
            throw new ArgumentException($"the error rate must be within [0, 1], not {ErrorRate}");
        }

        return this;
    }
}
