using System.Diagnostics;
using System.Net;

namespace Bollard.IntegrationTests.Balancer;

/// <summary>
/// Bounded load on the balancer: a few concurrent loops of GETs to 127.0.0.1, each stopping after a request count
/// or a time limit, whichever comes first. Failures are kept with what went wrong.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly Task[] _loops;
    private int _succeeded;

    public SteadyLoad(Uri target, int loops = 4, int requestsPerLoop = 2000, TimeSpan? limit = null)
    {
        _stop.CancelAfter(limit ?? TimeSpan.FromSeconds(60));
        _loops = [.. Enumerable.Range(0, loops).Select(_ => Task.Run(() => LoopAsync(target, requestsPerLoop)))];
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Stops the loops and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task LoopAsync(Uri target, int requests)
    {
        for (var i = 0; i < requests && !_stop.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await _http.GetAsync(target, CancellationToken.None);
                await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _succeeded);
                    continue;
                }

                Fail($"{(int)response.StatusCode} after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Fail($"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Fail(string what)
    {
        lock (_failures)
        {
            _failures.Add(what);
        }
    }
}
