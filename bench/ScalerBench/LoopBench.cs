using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bollard.Scaler;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Health;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bollard.Bench.Scaling;

/// <summary>
/// Control-loop cost: <see cref="Reconciler.ReconcileOnceAsync"/> over S services x R replicas on three in-memory
/// hosts (three zones), and the pure <see cref="ReconcilePlanner.Plan"/> on the same state.
/// </summary>
internal static class LoopBench
{
    private const double RpsTargetPerReplica = 50;

    public static async Task<int> RunAsync(int services, int replicas, int passes, int warmup, double targetMs)
    {
        // Every service autoscales on rps (range 1..2R) under a constant load asking for exactly R replicas, so each
        // pass also runs the autoscaler's decision; health checks every 1s as in the demo.
        var yaml = new List<(string File, string Text)>();
        for (var i = 0; i < services; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"svc-{i:000}");
            yaml.Add(($"{name}.yaml", $$"""
                name: {{name}}
                image: bollard-sample:v1
                port: 8080
                replicas: {min: 1, max: {{replicas * 2}}}
                autoscaling:
                  metrics:
                    - type: rps
                      target: {{RpsTargetPerReplica.ToString(CultureInfo.InvariantCulture)}}
                health:
                  path: /health
                  interval: 1s
                route:
                  pathPrefix: /{{name}}
                """));
        }

        var specs = SpecLoader.LoadTexts(yaml);
        var runtimes = Enumerable.Range(1, 3).Select(i => new FakeRuntime($"fake://h{i}")).ToArray();
        using var hosts = new HostSet([.. runtimes.Select((r, i) => new ManagedHost($"h{i + 1}", $"zone-{(char)('a' + i)}", "127.0.0.1", null, r))]);
        var catalog = new FakeCatalog();
        var decisions = new DecisionLog();
        var time = TimeProvider.System;
        using var deployments = new DeploymentCoordinator(new DeploymentStore(new MemoryStateStore()), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), decisions);
        using var reconciler = new Reconciler(
            new InMemoryServiceSpecSource(specs), hosts, catalog, new InstantProber(), new TimedDrain(time),
            new ConstantLoad(RpsTargetPerReplica * replicas, time), deployments, decisions, new OpenReconcileGate(),
            Options.Create(new ScalerOptions { Cluster = "bench", HostName = "h1", Zone = "zone-a" }), time, NullLogger<Reconciler>.Instance);

        // The hosts already run every replica, spread over the zones as the placement would (as after an agent
        // restart, which re-adopts containers by their labels): the autoscaler's first decision starts from the live
        // count, so it holds at R instead of stepping up from 1 over several step-limit periods.
        for (var s = 0; s < specs.Count; s++)
        {
            for (var r = 0; r < replicas; r++)
            {
                var host = hosts.Hosts[(s + r) % hosts.Hosts.Count];
                var labels = System.Collections.Immutable.ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    [ContainerLabels.ManagedBy] = ContainerLabels.ManagedByValue,
                    [ContainerLabels.Cluster] = "bench",
                    [ContainerLabels.Service] = specs[s].Name,
                    [ContainerLabels.Version] = specs[s].Version,
                    [ContainerLabels.Zone] = host.Zone,
                    [ContainerLabels.ContainerPort] = "8080",
                });
                await host.Runtime.CreateAndStartAsync(
                    new ContainerCreateRequest($"bollard-bench-{specs[s].Name}-{r}", specs[s].Image, 8080, host.PublishAddress) { Labels = labels }, CancellationToken.None);
            }
        }

        // Converge: the first pass probes and registers every replica; then nothing is left to do.
        var converge = Stopwatch.StartNew();
        var convergePasses = 0;
        ReconcilePlan plan;
        do
        {
            plan = await reconciler.ReconcileOnceAsync(CancellationToken.None);
            convergePasses++;
            if (convergePasses > 50)
            {
                await Console.Error.WriteLineAsync($"did not converge after 50 passes: {plan.Actions.Count} actions left");
                return 1;
            }
        }
        while (!plan.IsEmpty);
        converge.Stop();

        var running = runtimes.Sum(r => r.Count);
        if (running != services * replicas || catalog.Count != services * replicas)
        {
            await Console.Error.WriteLineAsync($"converged to {running} containers and {catalog.Count} registrations, expected {services * replicas}");
            return 1;
        }

        // Two rounds: first every kind of pass untimed (warm-up: tiered JIT recompiles the hot methods in the
        // background for a while, which used to land on the steady row alone and made it slower than the churn row),
        // then the same timed.
        var steady = new Timings();
        var churn = new Timings();
        var random = new Random(42);
        foreach (var timed in new[] { false, true })
        {
            var count = timed ? passes : warmup;

            // Steady state: the common pass (observe 3 hosts, probe every replica, decide, nothing to apply).
            for (var i = 0; i < count; i++)
            {
                var a0 = GC.GetTotalAllocatedBytes(precise: true);
                var t0 = Stopwatch.GetTimestamp();
                plan = await reconciler.ReconcileOnceAsync(CancellationToken.None);
                var t1 = Stopwatch.GetTimestamp();
                var a1 = GC.GetTotalAllocatedBytes(precise: true);
                if (!plan.IsEmpty)
                {
                    await Console.Error.WriteLineAsync($"steady pass {i} was not empty: {plan.Actions.Count} actions");
                    return 1;
                }

                if (timed)
                {
                    steady.Add(t0, t1, a1 - a0);
                }
            }

            // Churn: 10 replicas (of 10 services) crashed; the pass removes them (in the background) and creates 10
            // more. Two passes after it (registration of the replacements, then removal done) restore the steady state.
            for (var i = 0; i < count; i++)
            {
                var all = runtimes.SelectMany(r => r.Snapshot().Where(c => c.State == ContainerRunState.Running).Select(c => (r, c))).ToList();
                foreach (var (runtime, container) in all.OrderBy(_ => random.Next()).Take(10))
                {
                    runtime.Crash(container.Id);
                }

                var a0 = GC.GetTotalAllocatedBytes(precise: true);
                var t0 = Stopwatch.GetTimestamp();
                plan = await reconciler.ReconcileOnceAsync(CancellationToken.None);
                var t1 = Stopwatch.GetTimestamp();
                var a1 = GC.GetTotalAllocatedBytes(precise: true);
                if (plan.Actions.OfType<CreateReplica>().Count() != 10)
                {
                    await Console.Error.WriteLineAsync($"churn pass {i}: expected 10 creates, got {plan.Actions.OfType<CreateReplica>().Count()}");
                    return 1;
                }

                if (timed)
                {
                    churn.Add(t0, t1, a1 - a0);
                }

                await reconciler.WhenRemovalsDoneAsync();
                for (var k = 0; k < 5 && !(await reconciler.ReconcileOnceAsync(CancellationToken.None)).IsEmpty; k++)
                {
                }
            }
        }

        // The pure planner on the steady state, built from what the fake hosts hold now.
        var now = time.GetUtcNow();
        var targets = specs.Select(s => ServiceTarget.Steady(s, replicas)).ToList();
        var slots = hosts.Hosts.Select(h => new HostSlot(h.Name, h.Zone, true)).ToList();
        var views = hosts.Hosts.SelectMany(h => ((FakeRuntime)h.Runtime).Snapshot().Select(c => new ReplicaView(h.Name, c, new ReplicaHealth(true, 0), true))).ToList();
        var input = new ReconcileInput(targets, slots, views, new HashSet<string>(), now, new HashSet<string>());
        var planner = new Timings();
        for (var i = 0; i < warmup + passes; i++)
        {
            var a0 = GC.GetTotalAllocatedBytes(precise: true);
            var t0 = Stopwatch.GetTimestamp();
            var p = ReconcilePlanner.Plan(input);
            var t1 = Stopwatch.GetTimestamp();
            var a1 = GC.GetTotalAllocatedBytes(precise: true);
            if (!p.IsEmpty)
            {
                await Console.Error.WriteLineAsync($"planner on the steady state returned {p.Actions.Count} actions");
                return 1;
            }

            if (i >= warmup)
            {
                planner.Add(t0, t1, a1 - a0);
            }
        }

        var output = new StringBuilder();
        output.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Scaler control-loop benchmark: {services} services x {replicas} replicas on 3 in-memory hosts (3 zones), rps autoscaling on; {passes} timed passes after {warmup} warm-up; {Environment.ProcessorCount} cores, server GC: {System.Runtime.GCSettings.IsServerGC}"));
        output.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Converged ({services * replicas} running replicas adopted, probed, registered) in {convergePasses} passes, {converge.Elapsed.TotalMilliseconds:F0} ms ({running} containers, {catalog.Count} registrations)."));
        output.AppendLine();
        output.AppendLine(Timings.Header);
        output.AppendLine(steady.Row("Reconciler.ReconcileOnceAsync, steady state (nothing to do)", targetMs));
        output.AppendLine(churn.Row("Reconciler.ReconcileOnceAsync, 10 replicas crashed -> 10 creates", targetMs));
        output.AppendLine(planner.Row("ReconcilePlanner.Plan alone (pure), steady state", targetMs));
        Console.Write(output.ToString());
        return 0;
    }
}

/// <summary>
/// Durations of repeated trials in milliseconds, summarised as median, p99 and max, with the bytes each allocated
/// (median) and the garbage collections that ran during the timed trials (the usual cause of a slow p99 here).
/// </summary>
internal sealed class Timings
{
    private readonly List<double> _ms = [];
    private readonly List<long> _bytes = [];
    private int[] _collectionsAtStart = [];
    private int[] _collectionsAtEnd = [];

    public static string Header =>
        "| what (one pass, 100 x 10 unless told)                             |    n | median ms |   p99 ms |   max ms | target    | median | p99   | KB alloc | GCs 0/1/2  |\n" +
        "|-------------------------------------------------------------------|------|-----------|----------|----------|-----------|--------|-------|----------|------------|";

    public void Add(long startTimestamp, long endTimestamp, long allocatedBytes)
    {
        _ms.Add(Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMilliseconds);
        _bytes.Add(allocatedBytes);
        _collectionsAtEnd = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        if (_collectionsAtStart.Length == 0)
        {
            _collectionsAtStart = _collectionsAtEnd;
        }
    }

    public double Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _ms.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    // Pass, for the median and for the p99 (the median alone would hide a pass in a hundred that is slow).
    public string Row(string what, double targetMs) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {what,-65} | {_ms.Count,4} | {Percentile(50),9:F2} | {Percentile(99),8:F2} | {_ms.DefaultIfEmpty(double.NaN).Max(),8:F2} | < {targetMs,4:F0} ms | {Verdict(Percentile(50), targetMs),-6} | {Verdict(Percentile(99), targetMs),-5} | {MedianKb(),8:F0} | {Collections(),-10} |");

    private double MedianKb() => _bytes.Count == 0 ? double.NaN : _bytes.Order().ElementAt(_bytes.Count / 2) / 1024.0;

    // Counted from the first timed trial's end to the last one's: the collections the timed passes (and the untimed
    // passes between them, in the churn row) set off.
    private string Collections() => _collectionsAtEnd.Length == 0 ? "-"
        : string.Join("/", _collectionsAtEnd.Select((c, g) => c - _collectionsAtStart[g]));

    private static string Verdict(double ms, double targetMs) => ms < targetMs ? "yes" : "NO";
}
