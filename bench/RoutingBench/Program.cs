using System.Globalization;
using Bollard.Bench.Routing;

// bench/routing.sh runs this: the routing table's rebuild/publish times and Consul-to-serving propagation, as a table.
//
//   routing-bench [--services 100] [--replicas 10] [--runs 200] [--trials 20] [--consul http://127.0.0.1:8500]
//                 [--service-name rbench-NAME] [--no-consul]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length && !args[x.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[x.i + 1] : "true");
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

var services = Int("services", 100);
var replicas = Int("replicas", 10);
var runs = Int("runs", 200);
var trials = Int("trials", 20);
var consul = new Uri(options.GetValueOrDefault("consul", "http://127.0.0.1:8500"));
var serviceName = options.GetValueOrDefault("service-name", "rbench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

var rows = await SnapshotRebuildBench.RunAsync(services, replicas, runs);
if (!options.ContainsKey("no-consul"))
{
    rows.AddRange(await ConsulPropagationBench.RunAsync(consul, serviceName, trials));
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Routing benchmark: {services} services x {replicas} replicas, times in ms; {Environment.ProcessorCount} cores, server GC: {System.Runtime.GCSettings.IsServerGC}"));
Console.WriteLine();
Console.WriteLine(Timings.Header);
foreach (var row in rows)
{
    Console.WriteLine(row);
}

return 0;
