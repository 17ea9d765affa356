using System.Threading.Channels;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// The wait of a periodic loop that can be woken early: until a wake-up arrives on the channel or the interval has
/// passed on the injected clock, whichever comes first. Stopping ends it too; the caller's loop checks for that.
/// </summary>
internal static class WakeOrTimeout
{
    public static async Task WaitAsync(ChannelReader<bool> wake, TimeSpan interval, TimeProvider time, CancellationToken stoppingToken)
    {
        using var elapsed = new CancellationTokenSource(interval, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, elapsed.Token);
        try
        {
            await wake.ReadAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            // The interval ran out, or stopping.
        }
    }
}
