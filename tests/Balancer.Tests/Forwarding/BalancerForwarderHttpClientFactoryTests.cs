using Bollard.Balancer.Forwarding;

namespace Bollard.Balancer.Tests.Forwarding;

public sealed class BalancerForwarderHttpClientFactoryTests
{
    [Fact]
    public void The_handler_goes_direct_and_recycles_connections()
    {
        var settings = new BalancerOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
        };
        using var handler = new SocketsHttpHandler { UseProxy = true, UseCookies = true, AllowAutoRedirect = true };

        BalancerForwarderHttpClientFactory.Apply(settings, handler);

        Assert.False(handler.UseProxy);
        Assert.False(handler.UseCookies);
        Assert.False(handler.AllowAutoRedirect);
        Assert.Equal(TimeSpan.FromSeconds(2), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), handler.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(10), handler.PooledConnectionIdleTimeout);
    }
}
