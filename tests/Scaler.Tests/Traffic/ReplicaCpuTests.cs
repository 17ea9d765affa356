using Bollard.Scaler.Health;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Tests.Traffic;

public sealed class ReplicaCpuTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ScriptedCpuRuntime _h1 = new("h1");
    private readonly ScriptedCpuRuntime _h2 = new("h2");
    private readonly ReplicaCpu _cpu;

    public ReplicaCpuTests() =>
        _cpu = new ReplicaCpu(new HostSet([new ManagedHost("h1", "z1", "127.0.0.1", null, _h1), new ManagedHost("h2", "z2", "127.0.0.1", null, _h2)]));

    [Fact]
    public async Task Each_replica_is_sampled_on_its_own_host_and_the_rates_are_averaged()
    {
        IReadOnlyList<ReplicaView> replicas = [Replica("h1", "a"), Replica("h2", "b")];
        SetUsage(0, ("a", 0), ("b", 0));
        Assert.Null(await _cpu.AverageAsync("web", replicas, CancellationToken.None));

        SetUsage(2_000, ("a", 1_200), ("b", 400));

        Assert.Equal(40.0, (await _cpu.AverageAsync("web", replicas, CancellationToken.None))!.Value, 6);
    }

    [Fact]
    public async Task An_unreachable_engine_or_an_unknown_host_gives_no_average()
    {
        IReadOnlyList<ReplicaView> replicas = [Replica("h1", "a"), Replica("h2", "b")];
        SetUsage(0, ("a", 0), ("b", 0));
        await _cpu.AverageAsync("web", replicas, CancellationToken.None);
        SetUsage(1_000, ("a", 500), ("b", 500));
        _h2.Unreachable = true;

        Assert.Null(await _cpu.AverageAsync("web", replicas, CancellationToken.None));
        Assert.Null(await _cpu.AverageAsync("web", [Replica("h1", "a"), Replica("elsewhere", "c")], CancellationToken.None));
    }

    private void SetUsage(int atMs, params (string Id, long UsedMs)[] usage)
    {
        foreach (var (id, usedMs) in usage)
        {
            var runtime = id == "a" ? _h1 : _h2;
            runtime.Samples[id] = new ContainerCpuSample((ulong)usedMs * 1_000_000, T0.AddMilliseconds(atMs));
        }
    }

    private static ReplicaView Replica(string host, string id) =>
        new(host, new ObservedContainer(id, id, "web", "v1", host, ContainerRunState.Running, "127.0.0.1", 30000, T0), new ReplicaHealth(true, 0), Registered: true);
}
