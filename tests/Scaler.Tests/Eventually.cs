using System.Diagnostics;

namespace Bollard.Scaler.Tests;

/// <summary>Waits for a condition by polling it until a deadline, never by sleeping a guessed amount.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Deadline)
            {
                Assert.Fail($"Timed out after {Deadline} waiting until {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2));
        }
    }
}
