using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;

namespace Bollard.Agent.Systemd;

/// <summary>
/// The service manager's notification socket (sd_notify(3)): one datagram per message, to the path in NOTIFY_SOCKET
/// ('@' names a socket in the abstract namespace). Used for READY=1 and STOPPING=1 (through <see cref="SystemdLifetime"/>)
/// and for the watchdog's WATCHDOG=1.
/// </summary>
internal sealed class NotifySocket(string path) : ISystemdNotifier
{
    public const string Variable = "NOTIFY_SOCKET";

    public bool IsEnabled => true;

    public string Path { get; } = path;

    /// <summary>NOTIFY_SOCKET, or null when the agent was not started by a service manager that listens.</summary>
    public static NotifySocket? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? new NotifySocket(path) : null;

    public void Notify(ServiceState state) => Send(state.ToString());

    public void Send(string message)
    {
        var address = Path[0] == '@' ? "\0" + Path[1..] : Path;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(address));
        socket.Send(Encoding.UTF8.GetBytes(message));
    }
}
