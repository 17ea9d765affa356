using System.Diagnostics;

namespace Bollard.IntegrationTests;

/// <summary>Tests never sleep to wait: they poll a condition until a deadline and fail with what they last saw.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="condition"/> until it returns true; throws with <paramref name="what"/> on timeout.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        Exception? last = null;
        while (deadline.Elapsed < limit)
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

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"Timed out after {limit.TotalSeconds:0}s waiting for: {what}", last);
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Polls <paramref name="probe"/> until its value satisfies <paramref name="accept"/>; returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, string what, TimeSpan? timeout = null)
    {
        T value = default!;
        await TrueAsync(
            async () =>
            {
                value = await probe();
                return accept(value);
            },
            what,
            timeout);
        return value;
    }
}
