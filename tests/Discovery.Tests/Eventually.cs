using System.Diagnostics;

namespace Bollard.Discovery.Tests;

/// <summary>Tests never sleep to wait: they poll a condition until a deadline and fail with what they were waiting for.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it returns true; throws with <paramref name="what"/> on timeout.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        Exception? last = null;
        while (elapsed.Elapsed < limit)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }

            // Polling pace, not a wait for the condition: the deadline above bounds the whole wait.
            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"Timed out after {limit.TotalSeconds:0}s waiting for: {what}", last);
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Awaits <paramref name="task"/> but fails with <paramref name="what"/> when it takes longer than the deadline.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0}s waiting for: {what}", e);
        }
    }
}
