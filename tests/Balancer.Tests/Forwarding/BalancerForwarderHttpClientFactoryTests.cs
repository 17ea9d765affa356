using Bollard.Balancer.Forwarding;
using Bollard.Balancer.Retries;
using Bollard.Balancer.Routing;

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

    [Fact]
    public void Grpc_clusters_get_a_client_that_never_reads_a_response_ahead_and_others_keep_the_read_ahead()
    {
        var retries = new RetryOptions();
        using var inner = new SocketsHttpHandler();

        Assert.Same(inner, BalancerForwarderHttpClientFactory.WrapFor(Metadata("grpc"), retries, inner));
        Assert.IsType<ResponseBufferingHandler>(BalancerForwarderHttpClientFactory.WrapFor(Metadata("http2"), retries, inner));
        Assert.IsType<ResponseBufferingHandler>(BalancerForwarderHttpClientFactory.WrapFor(null, retries, inner));
        Assert.True(BalancerForwarderHttpClientFactory.IsStreaming(Metadata("grpc")));
        Assert.False(BalancerForwarderHttpClientFactory.IsStreaming(Metadata("http2")));
    }

    private static Dictionary<string, string> Metadata(string protocol) => new() { [BalancerMetadata.Protocol] = protocol };
}
