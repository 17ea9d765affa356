using System.Diagnostics;

namespace Bollard.IntegrationTests.Load;

/// <summary>
/// A load for tests: a few workers sending GETs to one loopback URL until stopped, a request cap or a time cap is
/// reached, whichever comes first. It counts successes and failures (with the first failures' descriptions).
/// </summary>
internal sealed class BoundedLoad : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly List<string> _failures = [];
    private long _succeeded;
    private long _sent;
    private readonly TimeSpan? _pace;
    private readonly long _began = Stopwatch.GetTimestamp();

    /// <param name="url">Where to send GETs (loopback only).</param>
    /// <param name="workers">Concurrent request loops.</param>
    /// <param name="maxRequests">Stop after this many requests in all.</param>
    /// <param name="maxDuration">Stop after this long in any case.</param>
    /// <param name="pace">When set, each worker sends at most one request per this interval (a light load).</param>
    /// <param name="requestTimeout">How long one request may take before it counts as failed (default 10 s).</param>
    public BoundedLoad(Uri url, int workers, long maxRequests, TimeSpan maxDuration, TimeSpan? pace = null, TimeSpan? requestTimeout = null)
    {
        _http = new HttpClient { Timeout = requestTimeout ?? TimeSpan.FromSeconds(10) };
        _pace = pace;
        if (!url.IsLoopback)
        {
            throw new ArgumentException("test load goes to loopback only", nameof(url));
        }

        _stop.CancelAfter(maxDuration);
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(url, maxRequests)))];
    }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public int Failed
    {
        get
        {
            lock (_failures)
            {
                return _failures.Count;
            }
        }
    }

    public string FailureSummary
    {
        get
        {
            lock (_failures)
            {
                return string.Join("; ", _failures.Take(5));
            }
        }
    }

    /// <summary>Stops the workers and waits for their last requests.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task WorkAsync(Uri url, long maxRequests)
    {
        using var pacer = _pace is { } pace ? new PeriodicTimer(pace) : null;
        while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _sent) <= maxRequests)
        {
            if (pacer is not null && !await Paced(pacer))
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await _http.GetAsync(url, _stop.Token);
                await response.Content.ReadAsByteArrayAsync(_stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _succeeded);
                    continue;
                }

                Fail($"{(int)response.StatusCode} after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms at {Stopwatch.GetElapsedTime(_began).TotalSeconds:0.00}s: {await response.Content.ReadAsStringAsync()}");
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return; // stopped mid-request by the test, not a failure of the system
            }
            catch (HttpRequestException e)
            {
                Fail(e.Message);
            }
            catch (TaskCanceledException)
            {
                Fail($"no answer within {_http.Timeout.TotalSeconds:0} s (at {Stopwatch.GetElapsedTime(_began).TotalSeconds:0.00}s)");
            }
        }
    }

    private async Task<bool> Paced(PeriodicTimer pacer)
    {
        try
        {
            return await pacer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
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
