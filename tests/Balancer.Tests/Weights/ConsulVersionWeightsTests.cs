using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Balancer.Weights;
using Bollard.Discovery.Consul;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bollard.Balancer.Tests.Weights;

public sealed class ConsulVersionWeightsTests : IDisposable
{
    private const string Prefix = "bollard/blue/weights/";
    private readonly ScriptedConsulKv _consul = new();
    private readonly HttpClient _http;
    private readonly ConsulVersionWeights _weights;

    public ConsulVersionWeightsTests()
    {
        _http = new HttpClient(_consul) { Timeout = Timeout.InfiniteTimeSpan };
        var options = new ConsulOptions { MinQueryInterval = TimeSpan.FromMilliseconds(1), MaxRetryBackoff = TimeSpan.FromMilliseconds(1) };
        _weights = new ConsulVersionWeights(
            new ConsulKeyValueWatch(_http, options),
            Options.Create(new BalancerOptions { Cluster = "blue" }),
            NullLogger<ConsulVersionWeights>.Instance);
    }

    public void Dispose()
    {
        _weights.Dispose();
        _http.Dispose();
        _consul.Dispose();
    }

    [Fact]
    public async Task Weights_follow_the_prefix_with_blocking_queries()
    {
        _consul
            .ThenNotFound(index: 5)
            .ThenEntries(9, ($"{Prefix}web", "{\"v1\":950,\"v2\":50}", 9))
            .ThenRefused()
            .ThenEntries(12, ($"{Prefix}web", "{\"v1\":500,\"v2\":500}", 12), ($"{Prefix}api", "{\"v3\":1000}", 11));
        Assert.Null(_weights.Current);

        await _weights.StartAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => _weights.Current is { Count: 2 }, "the weights of both services arrive, past a refused query");
        Assert.Equal(500, _weights.Current!["web"].Of("v2"));
        Assert.Equal(1000, _weights.Current["api"].Of("v3"));

        var queries = _consul.Queries.Select(q => q.PathAndQuery).ToList();
        Assert.Equal("/v1/kv/bollard/blue/weights/?recurse=true", queries[0]);
        Assert.Contains("index=5&wait=", queries[1], StringComparison.Ordinal);
        Assert.Contains("index=9&wait=", queries[2], StringComparison.Ordinal);
        Assert.Contains("index=9&wait=", queries[3], StringComparison.Ordinal);
        await _weights.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void An_unreadable_value_keeps_the_last_good_weights_of_its_service()
    {
        _weights.Apply([Entry("web", "{\"v1\":950,\"v2\":50}", 3)]);
        var token = _weights.GetChangeToken();

        _weights.Apply([Entry("web", "{\"v1\":950,\"v2\":60}", 4), Entry("api", "garbage", 4)]);

        Assert.False(token.HasChanged);
        Assert.Equal(50, _weights.Current!["web"].Of("v2"));
        Assert.False(_weights.Current.ContainsKey("api"));
    }

    [Fact]
    public void A_removed_key_removes_the_weights_of_its_service()
    {
        _weights.Apply([Entry("web", "{\"v1\":1000}", 3)]);
        var token = _weights.GetChangeToken();

        _weights.Apply([]);

        Assert.True(token.HasChanged);
        Assert.Empty(_weights.Current!);
    }

    private static KeyValueEntry Entry(string service, string json, ulong index) =>
        new(Prefix + service, System.Text.Encoding.UTF8.GetBytes(json), index, null);
}
