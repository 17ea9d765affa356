using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Bollard.Bench.Scaling;

/// <summary>
/// The request side of scaler-reaction.sh: sends requests through the balancer from a few loops and prints, for every
/// replica id not in <c>known</c>, the first moment it answered, in ms since <c>t0</c> (Unix ms, the load step's
/// start). The sample app answers <c>{"replica": "&lt;container short id&gt;", ...}</c>. Ends when <c>expect</c> new
/// replicas answered or after <c>timeout</c>.
/// </summary>
internal static class Probe
{
    public static async Task<int> RunAsync(Uri url, long t0UnixMs, IReadOnlySet<string> known, int expect, TimeSpan timeout, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = TimeSpan.FromSeconds(5) };
        var seen = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long requests = 0, failures = 0;
        using var done = new CancellationTokenSource(timeout);

        async Task LoopAsync()
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.GetAsync(url, done.Token);
                    var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    Interlocked.Increment(ref requests);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                        continue;
                    }

                    using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(done.Token));
                    var replica = body.RootElement.TryGetProperty("replica", out var r) ? r.GetString() : null;
                    if (replica is null || known.Contains(replica) || !seen.TryAdd(replica, at))
                    {
                        continue;
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at - t0UnixMs} {replica}"));
                    if (seen.Count >= expect)
                    {
                        await done.CancelAsync();
                    }
                }
                catch (OperationCanceledException) when (done.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(LoopAsync)));
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"probe: {requests} requests, {failures} failed, {seen.Count}/{expect} new replicas answered"));
        return 0;
    }
}
