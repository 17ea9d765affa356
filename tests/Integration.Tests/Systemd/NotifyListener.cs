using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Bollard.IntegrationTests.Systemd;

/// <summary>
/// Stands for systemd's notification socket: a Unix datagram socket on a path of its own, recording when each
/// WATCHDOG=1 arrived (on a monotonic clock).
/// </summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<TimeSpan> _heartbeats = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _receiving;

    public NotifyListener()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bollard-notify-{Guid.NewGuid():N}"[..28] + ".sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>When each heartbeat arrived, in order.</summary>
    public IReadOnlyList<TimeSpan> Heartbeats
    {
        get
        {
            lock (_heartbeats)
            {
                return [.. _heartbeats];
            }
        }
    }

    /// <summary>How long since the last heartbeat (since the listener started, before the first).</summary>
    public TimeSpan Silence => Now - (Heartbeats is [.., var last] ? last : TimeSpan.Zero);

    /// <summary>The longest time between two heartbeats from <paramref name="from"/> on.</summary>
    public TimeSpan LongestGap(TimeSpan from)
    {
        var beats = Heartbeats.Where(h => h >= from).ToList();
        return beats.Zip(beats.Skip(1), (a, b) => b - a).DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            _receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The socket was closed under the receive: that is how it stops.
        }

        File.Delete(Path);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Encoding.UTF8.GetString(buffer, 0, read).Split('\n').Contains("WATCHDOG=1"))
            {
                lock (_heartbeats)
                {
                    _heartbeats.Add(_clock.Elapsed);
                }
            }
        }
    }
}
