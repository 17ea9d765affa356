using System.Net;
using Bollard.Agent.Listeners;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The LISTEN_FDS protocol's pure part: which descriptors are this process's, and which listener takes which socket.</summary>
public sealed class SocketActivationTests
{
    [Theory]
    [InlineData("42", "2", 42, new[] { 3, 4 })]
    [InlineData("42", "1", 42, new[] { 3 })]
    [InlineData("41", "2", 42, new int[0])] // passed to another process (a parent that did not clear them)
    [InlineData(null, "2", 42, new int[0])]
    [InlineData("42", null, 42, new int[0])]
    [InlineData("42", "0", 42, new int[0])]
    [InlineData("42", "-1", 42, new int[0])]
    [InlineData("42", "two", 42, new int[0])]
    [InlineData(" 42", "2", 42, new int[0])]
    public void Descriptors_are_taken_only_when_passed_to_this_process(string? pid, string? fds, int current, int[] expected) =>
        Assert.Equal(expected, SocketActivation.Descriptors(pid, fds, current));

    [Fact]
    public void A_listener_takes_the_socket_of_its_address_or_a_wildcard_of_the_other_family_on_its_port()
    {
        var loopback = new InheritedSocket(3, IPEndPoint.Parse("127.0.0.1:9901"));
        var dualStack = new InheritedSocket(4, IPEndPoint.Parse("[::]:80"));
        var anyV4 = new InheritedSocket(5, IPEndPoint.Parse("0.0.0.0:443"));
        InheritedSocket[] sockets = [loopback, dualStack, anyV4];

        Assert.Same(loopback, SocketActivation.For(IPEndPoint.Parse("127.0.0.1:9901"), sockets));
        Assert.Same(dualStack, SocketActivation.For(IPEndPoint.Parse("0.0.0.0:80"), sockets));
        Assert.Same(dualStack, SocketActivation.For(IPEndPoint.Parse("[::]:80"), sockets));
        Assert.Same(anyV4, SocketActivation.For(IPEndPoint.Parse("[::]:443"), sockets));
        Assert.Null(SocketActivation.For(IPEndPoint.Parse("127.0.0.1:80"), sockets)); // a specific address is not a wildcard's
        Assert.Null(SocketActivation.For(IPEndPoint.Parse("0.0.0.0:8080"), sockets));
    }

    [Fact]
    public void A_socket_no_listener_takes_is_reported()
    {
        var used = new InheritedSocket(3, IPEndPoint.Parse("0.0.0.0:80"));
        var stray = new InheritedSocket(4, IPEndPoint.Parse("0.0.0.0:81"));

        Assert.Equal([stray], SocketActivation.Unclaimed([IPEndPoint.Parse("0.0.0.0:80"), IPEndPoint.Parse("127.0.0.1:9901")], [used, stray]));
        Assert.Empty(SocketActivation.Unclaimed([IPEndPoint.Parse("0.0.0.0:80")], [used]));
    }
}
