using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Bollard.Bench.Scaling;

/// <summary>
/// The request side of scaler-reaction.sh: sends requests through the balancer and prints, for every replica id not in
/// <c>known</c>, the first moment it answered, in ms since <c>t0</c> (Unix ms, the load step's start). The sample app
/// answers <c>{"replica": "&lt;container short id&gt;", ...}</c>. Ends when <c>expect</c> new replicas answered or after
/// <c>timeout</c>.
/// <para>
/// Two shapes: a few closed loops (each sends its next request when the last one answered; used next to wrk, which
/// makes the load), or an open-loop rate (<c>rps</c> &gt; 0: request n leaves at t0 + n / rps whatever the answers do,
/// as clients of a real service arrive), which is then the load step itself. A rate step leaves the CPU to the new
/// replicas; a closed loop on the same machine takes every cycle the replicas would start with.
/// </para>
/// </summary>
internal static class Probe
{
    /// <summary>Requests of the open-loop rate in flight at most; beyond it a due request counts as failed (the service is saturated).</summary>
    private const int MaxInFlight = 512;

    public static async Task<int> RunAsync(Uri url, long t0UnixMs, IReadOnlySet<string> known, int expect, TimeSpan timeout, int concurrency, double rps)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = rps > 0 ? MaxInFlight : concurrency })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var seen = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long requests = 0, failures = 0;
        using var done = new CancellationTokenSource(timeout);

        async Task SendOneAsync()
        {
            try
            {
                using var response = await http.GetAsync(url, done.Token);
                var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                    return;
                }

                using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(done.Token));
                var replica = body.RootElement.TryGetProperty("replica", out var r) ? r.GetString() : null;
                if (replica is null || known.Contains(replica) || !seen.TryAdd(replica, at))
                {
                    return;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at - t0UnixMs} {replica}"));
                if (seen.Count >= expect)
                {
                    await done.CancelAsync();
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                // The probe ended while this request was out: neither an answer nor a failure.
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
            {
                Interlocked.Increment(ref requests);
                Interlocked.Increment(ref failures);
            }
        }

        async Task LoopAsync()
        {
            while (!done.IsCancellationRequested)
            {
                await SendOneAsync();
            }
        }

        async Task RateAsync()
        {
            var inFlight = new List<Task>();
            var clock = Stopwatch.StartNew();
            for (long n = 0; !done.IsCancellationRequested; n++)
            {
                var due = TimeSpan.FromSeconds(n / rps);
                if (due > clock.Elapsed)
                {
                    try
                    {
                        await Task.Delay(due - clock.Elapsed, done.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count >= MaxInFlight)
                {
                    Interlocked.Increment(ref requests);
                    Interlocked.Increment(ref failures);
                    continue;
                }

                inFlight.Add(SendOneAsync());
            }

            await Task.WhenAll(inFlight);
        }

        var started = Stopwatch.StartNew();
        if (rps > 0)
        {
            await RateAsync();
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(LoopAsync)));
        }

        var achieved = requests / Math.Max(started.Elapsed.TotalSeconds, 0.001);
        await Console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"probe: {requests} requests ({achieved:F0}/s), {failures} failed, {seen.Count}/{expect} new replicas answered"));
        return 0;
    }
}
