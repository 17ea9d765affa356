using System.Net;
using System.Net.Sockets;

namespace Bollard.Agent.Listeners;

/// <summary>
/// Reads the sockets systemd passed (see <see cref="SocketActivation"/>): the process keeps them across nothing, but
/// the service manager does, so connections arriving while this process starts or stops wait in the kernel's backlog
/// instead of being refused.
/// </summary>
internal static class InheritedSockets
{
    private const string ListenPid = "LISTEN_PID";
    private const string ListenFds = "LISTEN_FDS";
    private const string ListenFdNames = "LISTEN_FDNAMES";

    /// <summary>
    /// The inherited listening sockets with the addresses they are bound to. The variables are cleared, as sd_listen_fds
    /// does, so that no process this one starts believes the sockets are its own.
    /// </summary>
    /// <exception cref="InheritedSocketException">A passed descriptor is not a listening TCP socket.</exception>
    public static IReadOnlyList<InheritedSocket> Take()
    {
        var descriptors = SocketActivation.Descriptors(
            Environment.GetEnvironmentVariable(ListenPid), Environment.GetEnvironmentVariable(ListenFds), Environment.ProcessId);
        Environment.SetEnvironmentVariable(ListenPid, null);
        Environment.SetEnvironmentVariable(ListenFds, null);
        Environment.SetEnvironmentVariable(ListenFdNames, null);
        return [.. descriptors.Select(d => new InheritedSocket(d, AddressOf(d)))];
    }

    private static IPEndPoint AddressOf(int descriptor)
    {
        try
        {
            // Not owned: Kestrel takes the descriptor itself (ListenHandle); this wrapper only asks where it is bound.
            using var socket = new Socket(new SafeSocketHandle(descriptor, ownsHandle: false));
            return socket is { SocketType: SocketType.Stream, LocalEndPoint: IPEndPoint address }
                ? address
                : throw new InheritedSocketException($"descriptor {descriptor} passed by the service manager (LISTEN_FDS) is not a TCP socket bound to an IP address ({socket.SocketType}, {socket.LocalEndPoint}); bollard.socket must use ListenStream=ADDRESS:PORT");
        }
        catch (SocketException e)
        {
            throw new InheritedSocketException($"descriptor {descriptor} passed by the service manager (LISTEN_FDS) is not a usable socket: {e.Message}");
        }
    }
}

/// <summary>The sockets passed by the service manager do not fit the config (a config error: fix the socket unit or the config).</summary>
public sealed class InheritedSocketException : Exception
{
    public InheritedSocketException()
    {
    }

    public InheritedSocketException(string message)
        : base(message)
    {
    }

    public InheritedSocketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
