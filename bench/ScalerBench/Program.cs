using System.Globalization;
using Bollard.Bench.Scaling;

// bench/scaler-loop.sh runs `scaler-bench loop`, bench/scaler-reaction.sh runs `scaler-bench probe`.
//
//   scaler-bench loop  [--services 100] [--replicas 10] [--passes 200] [--warmup 50] [--target-ms 50]
//   scaler-bench probe --url http://127.0.0.1:PORT/ --t0-ms UNIX_MS --expect N [--known id,id] [--timeout-s 60] [--concurrency 2] [--rps 0]
var options = args.Skip(1).Select((a, i) => (a, i: i + 1)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length && !args[x.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[x.i + 1] : "true");
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

switch (args.FirstOrDefault())
{
    case "loop":
        return await LoopBench.RunAsync(Int("services", 100), Int("replicas", 10), Int("passes", 200), Int("warmup", 50), Int("target-ms", 50));
    case "probe":
        var known = options.GetValueOrDefault("known", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return await Probe.RunAsync(
            new Uri(options["url"]), long.Parse(options["t0-ms"], CultureInfo.InvariantCulture), known, Int("expect", 1),
            TimeSpan.FromSeconds(Int("timeout-s", 60)), Int("concurrency", 2),
            options.TryGetValue("rps", out var rps) ? double.Parse(rps, CultureInfo.InvariantCulture) : 0);
    default:
        await Console.Error.WriteLineAsync("usage: scaler-bench loop [--services N] [--replicas N] [--passes N] [--warmup N] [--target-ms N] | probe --url URL --t0-ms MS --expect N [--known ids] [--timeout-s S] [--concurrency N] [--rps R]");
        return 64;
}
