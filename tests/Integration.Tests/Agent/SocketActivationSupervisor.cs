using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// What systemd does for a socket unit, small: the test binds and holds listening sockets, and passes them to each
/// process it starts by the LISTEN_FDS protocol (descriptors 3, 4, ... and LISTEN_PID, LISTEN_FDS), so the sockets, and
/// the connections waiting in their backlog, outlive any one process.
/// </summary>
internal static class SocketActivationSupervisor
{
    private const int SetDescriptorFlags = 2; // F_SETFD
    private const int CloseOnExec = 1; // FD_CLOEXEC
    private static readonly Lock Gate = new();

    /// <summary>A listening TCP socket on <paramref name="address"/>, with a backlog for the connections of a restart.</summary>
    public static Socket Listen(IPEndPoint address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(address);
        socket.Listen(4096);
        return socket;
    }

    /// <summary>
    /// The shell script that moves the sockets to descriptors 3, 4, ... (closing their original numbers), sets the
    /// variables with its own pid (exec keeps it) and execs its arguments.
    /// </summary>
    public static string Script(IReadOnlyList<Socket> sockets)
    {
        var moves = sockets.Select((s, i) => (From: Descriptor(s), To: 3 + i)).ToList();
        if (moves.Any(m => m.From < 3 + moves.Count && m.From != m.To))
        {
            throw new InvalidOperationException("a socket's descriptor is among the target ones; hold it above them");
        }

        var redirections = string.Join(' ', moves.Where(m => m.From != m.To).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.To}<&{m.From} {m.From}<&-")));
        return string.Create(CultureInfo.InvariantCulture, $"export LISTEN_PID=$$ LISTEN_FDS={moves.Count}; {(redirections.Length > 0 ? $"exec {redirections}; " : "")}exec \"$@\"");
    }

    /// <summary>
    /// Starts the process with the sockets inheritable for the moment of the fork only: .NET opens every descriptor
    /// close-on-exec, and a socket left inheritable would leak into every other process the test run starts.
    /// </summary>
    public static Process Start(ProcessStartInfo start, IReadOnlyList<Socket> sockets)
    {
        lock (Gate)
        {
            foreach (var socket in sockets)
            {
                SetCloseOnExec(socket, false);
            }

            try
            {
                return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
            }
            finally
            {
                foreach (var socket in sockets)
                {
                    SetCloseOnExec(socket, true);
                }
            }
        }
    }

    private static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    private static void SetCloseOnExec(Socket socket, bool closeOnExec)
    {
        if (Fcntl(Descriptor(socket), SetDescriptorFlags, closeOnExec ? CloseOnExec : 0) != 0)
        {
            throw new InvalidOperationException($"fcntl(F_SETFD) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in the test project for one call.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int descriptor, int command, int argument);
#pragma warning restore SYSLIB1054
}
