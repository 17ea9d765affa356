using System.Globalization;
using System.Net;

namespace Bollard.Agent.Listeners;

/// <summary>
/// The listening sockets a service manager handed this process (systemd's socket activation, the LISTEN_FDS protocol:
/// descriptors 3, 4, ... with LISTEN_PID naming the process they are for), and which listener takes which. Pure: the
/// environment and the sockets' addresses come in as values (<see cref="InheritedSockets"/> reads them).
/// </summary>
internal static class SocketActivation
{
    /// <summary>SD_LISTEN_FDS_START: the first descriptor passed (0-2 are stdin, stdout and stderr).</summary>
    public const int FirstDescriptor = 3;

    /// <summary>
    /// The descriptors passed to the process <paramref name="currentPid"/>; none when the variables are absent, malformed,
    /// or meant for another process (a parent that was activated and forgot to clear them).
    /// </summary>
    public static IReadOnlyList<int> Descriptors(string? listenPid, string? listenFds, int currentPid)
    {
        if (!int.TryParse(listenPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != currentPid)
        {
            return [];
        }

        return int.TryParse(listenFds, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and < 1000
            ? [.. Enumerable.Range(FirstDescriptor, count)]
            : [];
    }

    /// <summary>
    /// The inherited socket a listener on <paramref name="address"/> takes: one bound to the same address, else, for a
    /// wildcard address, one bound to the other family's wildcard on the same port (systemd's <c>ListenStream=80</c> is a
    /// dual-stack [::]:80, which serves 0.0.0.0:80 as well); null: none, the listener binds its address itself.
    /// </summary>
    public static InheritedSocket? For(IPEndPoint address, IReadOnlyList<InheritedSocket> sockets) =>
        sockets.FirstOrDefault(s => s.Address.Equals(address))
        ?? (IsWildcard(address.Address)
            ? sockets.FirstOrDefault(s => s.Address.Port == address.Port && IsWildcard(s.Address.Address))
            : null);

    /// <summary>The sockets no listener takes: a socket unit listening where the config does not (a config error).</summary>
    public static IReadOnlyList<InheritedSocket> Unclaimed(IEnumerable<IPEndPoint> listeners, IReadOnlyList<InheritedSocket> sockets)
    {
        var claimed = listeners.Select(l => For(l, sockets)).OfType<InheritedSocket>().ToHashSet();
        return [.. sockets.Where(s => !claimed.Contains(s))];
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}

/// <summary>A listening socket the process inherited: its descriptor and the address it is bound to.</summary>
internal sealed record InheritedSocket(int Descriptor, IPEndPoint Address)
{
    public override string ToString() => $"descriptor {Descriptor} ({Address})";
}
