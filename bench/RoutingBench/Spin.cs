using System.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace Bollard.Bench.Routing;

internal static class Spin
{
    /// <summary>
    /// Polls <paramref name="condition"/> every millisecond and returns the timestamp it was first seen to hold. It
    /// sleeps between polls instead of spinning: on a 2-core machine a spinning poller would take a core from the
    /// balancer it measures. Resolution: about 1 ms.
    /// </summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>.</exception>
    public static long Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
            }

            Thread.Sleep(1);
        }

        return Stopwatch.GetTimestamp();
    }
}

/// <summary>Records the moment a change token fires (in the publisher's own thread, so exactly when it published).</summary>
internal sealed class ChangeStamp : IDisposable
{
    private readonly ManualResetEventSlim _fired = new();
    private readonly IDisposable _registration;
    private long _timestamp;

    public ChangeStamp(IChangeToken token)
    {
        _registration = token.RegisterChangeCallback(
            static state =>
            {
                var self = (ChangeStamp)state!;
                self._timestamp = Stopwatch.GetTimestamp();
                self._fired.Set();
            },
            this);
    }

    /// <exception cref="TimeoutException">The token did not fire within <paramref name="timeout"/>.</exception>
    public long Wait(TimeSpan timeout, string what) =>
        _fired.Wait(timeout) ? Volatile.Read(ref _timestamp) : throw new TimeoutException($"Timed out waiting for {what}.");

    public void Dispose()
    {
        _registration.Dispose();
        _fired.Dispose();
    }
}
