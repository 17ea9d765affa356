using System.Net;

namespace Bollard.Balancer.ClientAddress;

/// <summary>
/// Who the client is, behind proxies the operator trusts (<c>trustedProxies</c>), pure. A request from an untrusted
/// peer is that peer's, whatever headers it sent (they are forged as easily as written). From a trusted peer, the
/// forwarding chain (RFC 7239 <c>Forwarded: for=</c>, else <c>X-Forwarded-For</c>) is read from the right, skipping
/// trusted hops: the first untrusted address is the client (nginx's real_ip_recursive). An entry that is not an
/// address ends the walk at the last hop known good.
/// </summary>
internal static class ClientAddressRules
{
    public static IPAddress Resolve(IPAddress peer, IReadOnlyList<string> forwardedFor, IReadOnlyList<IPNetwork> trusted)
    {
        var client = Normalize(peer);
        if (!IsTrusted(client, trusted))
        {
            return client;
        }

        for (var i = forwardedFor.Count - 1; i >= 0; i--)
        {
            if (!TryParseNode(forwardedFor[i], out var hop))
            {
                return client;
            }

            client = hop;
            if (!IsTrusted(hop, trusted))
            {
                return hop;
            }
        }

        return client;
    }

    /// <summary>The hops of X-Forwarded-For values (comma-separated, oldest first).</summary>
    public static List<string> XForwardedFor(IEnumerable<string?> values) =>
        [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The <c>for=</c> nodes of Forwarded values (RFC 7239: elements by comma, pairs by semicolon), oldest first.</summary>
    public static List<string> ForwardedFor(IEnumerable<string?> values)
    {
        var nodes = new List<string>();
        foreach (var element in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var node = element.Split(';', StringSplitOptions.TrimEntries)
                .FirstOrDefault(pair => pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase));
            // An element without for= is a hop that did not say who it served: nothing after it can be trusted.
            nodes.Add(node is null ? "" : node[4..].Trim('"'));
        }

        return nodes;
    }

    public static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trusted)
    {
        foreach (var network in trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An address, with or without a port: <c>192.0.2.1</c>, <c>192.0.2.1:4711</c>, <c>[2001:db8::1]:4711</c>, <c>2001:db8::1</c>.</summary>
    private static bool TryParseNode(string node, out IPAddress address)
    {
        if (IPAddress.TryParse(node, out var parsed) || (IPEndPoint.TryParse(node, out var endpoint) && (parsed = endpoint.Address) is not null))
        {
            address = Normalize(parsed);
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    /// <summary>IPv4 seen through a dual-stack socket (::ffff:a.b.c.d) is the IPv4 address, so trusted IPv4 networks match it.</summary>
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
