using System.Net;
using Bollard.Balancer.ClientAddress;

namespace Bollard.Balancer.Tests.ClientAddress;

public sealed class ClientAddressRulesTests
{
    private static readonly IPNetwork[] Trusted = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("192.168.1.5/32"), IPNetwork.Parse("2001:db8::/32")];

    [Theory]
    [InlineData("203.0.113.9", "198.51.100.1", "203.0.113.9")] // an untrusted peer's headers are not believed
    [InlineData("10.0.0.2", "198.51.100.1", "198.51.100.1")] // one trusted proxy in front
    [InlineData("10.0.0.2", "198.51.100.1, 203.0.113.7, 192.168.1.5", "203.0.113.7")] // trusted hops skipped from the right; the forged leftmost ignored
    [InlineData("10.0.0.2", "10.1.1.1, 10.2.2.2", "10.1.1.1")] // all trusted: the farthest
    [InlineData("10.0.0.2", "", "10.0.0.2")] // no header: the proxy itself
    [InlineData("10.0.0.2", "198.51.100.1, garbage", "10.0.0.2")] // a bad entry ends the walk at the last good hop
    [InlineData("10.0.0.2", "198.51.100.1:4711", "198.51.100.1")] // with a port
    [InlineData("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1")] // IPv4 through a dual-stack socket
    [InlineData("2001:db8::1", "[2001:db9::7]:80", "2001:db9::7")]
    public void The_client_is_the_first_untrusted_hop_from_the_right(string peer, string xForwardedFor, string expected)
    {
        var chain = ClientAddressRules.XForwardedFor([xForwardedFor]);

        Assert.Equal(IPAddress.Parse(expected), ClientAddressRules.Resolve(IPAddress.Parse(peer), chain, Trusted));
    }

    [Fact]
    public void Forwarded_for_nodes_are_read_in_order_with_quotes_and_ports()
    {
        var nodes = ClientAddressRules.ForwardedFor(["for=198.51.100.1;proto=https, for=\"[2001:db8:cafe::17]:4711\"", "by=10.0.0.1, For=10.0.0.9"]);

        Assert.Equal(["198.51.100.1", "[2001:db8:cafe::17]:4711", "", "10.0.0.9"], nodes);
        // The element without for= is a break in the chain: the client is the last hop known good before it.
        Assert.Equal(IPAddress.Parse("10.0.0.9"), ClientAddressRules.Resolve(IPAddress.Parse("10.0.0.2"), nodes, Trusted));
        Assert.Equal(IPAddress.Parse("2001:db8:cafe::17"), ClientAddressRules.Resolve(IPAddress.Parse("10.0.0.2"), nodes[..2], [IPNetwork.Parse("10.0.0.0/8")]));
    }
}
