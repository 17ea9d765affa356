using System.Diagnostics;
using System.Globalization;
using Bollard.Balancer;
using Bollard.Balancer.Routing;
using Bollard.Discovery;

namespace Bollard.Bench.Routing;

/// <summary>
/// Rebuild and publish of a 100 x 10 routing table through the balancer's public composition: a catalog watch
/// delivers a changed snapshot, the balancer rebuilds the whole routing snapshot, publishes it to YARP, and YARP
/// applies it. Timed from the catalog delivering the change to (a) the new config being published and (b) YARP
/// serving the changed destination.
/// </summary>
internal static class SnapshotRebuildBench
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task<List<string>> RunAsync(int services, int replicas, int runs)
    {
        var rows = new List<string>();
        var names = Enumerable.Range(0, services).Select(i => string.Create(CultureInfo.InvariantCulture, $"s{i:D3}")).ToArray();
        var routes = names.Select(n => new ServiceRoute(n, null, "/" + n));

        // Every destination points at this one listener, so that the balancer's active health checks of the 1000
        // destinations pass as they would in production (no traffic is proxied here).
        await using var stub = await HealthStub.StartAsync();
        var port = stub.Port;

        // Debounce zero: the balancer's own work only (the debounce is a deliberate wait, measured separately below).
        var catalog = new ChannelServiceCatalog();
        var started = Stopwatch.GetTimestamp();
        foreach (var name in names)
        {
            catalog.Push(Snapshot(name, port, replicas, replaced: null));
        }

        await using (var host = await BalancerHost.StartAsync(catalog, null, routes, o => o.RoutingDebounce = TimeSpan.Zero))
        {
            var initial = new Timings();
            initial.Add(started, Spin.Until(() => names.All(n => host.Cluster(n)?.Destinations.Count == replicas), Deadline, "the initial table"));
            rows.Add(initial.Row($"start: host start + first {services}x{replicas} table serving"));

            var published = new Timings();
            var serving = new Timings();
            var warmup = Math.Min(50, runs);
            for (var run = 0; run < warmup + runs; run++)
            {
                var k = run % services;
                var id = string.Create(CultureInfo.InvariantCulture, $"{names[k]}-r{run}");
                using var publish = new ChangeStamp(host.Config.GetConfig().ChangeToken);
                var t0 = Stopwatch.GetTimestamp();
                catalog.Push(Snapshot(names[k], port, replicas, replaced: id));
                var t1 = publish.Wait(Deadline, "the publish");
                var t2 = Spin.Until(() => host.Routes(names[k], id), Deadline, "YARP to serve the change");
                if (run >= warmup)
                {
                    published.Add(t0, t1);
                    serving.Add(t0, t2);
                }
            }

            rows.Add(published.Row($"1 service changes -> {services}x{replicas} snapshot rebuilt + published"));
            rows.Add(serving.Row($"1 service changes -> YARP serves the new destination (1 ms polls)"));

            var burst = new Timings();
            var publishes = new List<long>();
            for (var b = 0; b < Math.Max(5, runs / 10); b++)
            {
                var ids = names.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n}-b{b}")).ToArray();
                var revision = long.Parse(host.Config.GetConfig().RevisionId, CultureInfo.InvariantCulture);
                var t0 = Stopwatch.GetTimestamp();
                for (var k = 0; k < services; k++)
                {
                    catalog.Push(Snapshot(names[k], port, replicas, replaced: ids[k]));
                }

                burst.Add(t0, Spin.Until(() => names.Select((n, k) => host.Routes(n, ids[k])).All(x => x), Deadline, "the burst"));
                await Task.Delay(50); // let the last rebuilds of the burst finish before counting them
                publishes.Add(long.Parse(host.Config.GetConfig().RevisionId, CultureInfo.InvariantCulture) - revision);
            }

            rows.Add(burst.Row(string.Create(
                CultureInfo.InvariantCulture,
                $"all {services} change at once -> YARP serves all ({publishes.Order().ElementAt(publishes.Count / 2)} publishes)")));
        }

        // The shipped default: a 15 ms debounce. Changes here come back to back (each right after the last one was
        // served), so each arrives within the debounce of the previous rebuild and waits out the rest of it: the
        // burst case. A lone change after a quiet spell is rebuilt at once (the Consul rows).
        var defaults = new ChannelServiceCatalog();
        foreach (var name in names)
        {
            defaults.Push(Snapshot(name, port, replicas, replaced: null));
        }

        await using (var host = await BalancerHost.StartAsync(defaults, null, routes, configure: null))
        {
            Spin.Until(() => names.All(n => host.Cluster(n)?.Destinations.Count == replicas), Deadline, "the initial table");
            var serving = new Timings();
            for (var run = 0; run < Math.Max(20, runs / 4); run++)
            {
                var k = run % services;
                var id = string.Create(CultureInfo.InvariantCulture, $"{names[k]}-d{run}");
                var t0 = Stopwatch.GetTimestamp();
                defaults.Push(Snapshot(names[k], port, replicas, replaced: id));
                serving.Add(t0, Spin.Until(() => host.Routes(names[k], id), Deadline, "YARP to serve the change"));
            }

            rows.Add(serving.Row(string.Create(
                CultureInfo.InvariantCulture,
                $"same, default debounce ({BalancerOptions.DefaultRoutingDebounce.TotalMilliseconds:F0} ms) -> YARP serves it")));
        }

        return rows;
    }

    /// <summary>Service <paramref name="name"/> with its replicas; instance 0 replaced by <paramref name="replaced"/> when given.</summary>
    private static ServiceSnapshot Snapshot(string name, int port, int replicas, string? replaced) =>
        new(name, Enumerable.Range(0, replicas).Select(r => new ServiceInstance(
            r == 0 && replaced is not null ? replaced : string.Create(CultureInfo.InvariantCulture, $"{name}-{r}"),
            name,
            "127.0.0.1",
            port,
            "zone-a",
            "v1")));
}
