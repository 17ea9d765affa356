using System.Text;
using Bollard.Balancer;
using Bollard.Balancer.Weights;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bollard.IntegrationTests.Balancer;

/// <summary>Version weights followed from the real Consul agent's KV, under a cluster name removed afterwards.</summary>
public sealed class ConsulVersionWeightsTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string _cluster = TestEnvironment.UniqueName("weights");
    private readonly ConsulKeyValueStore _store;
    private readonly ConsulVersionWeights _weights;

    public ConsulVersionWeightsTests()
    {
        _store = new ConsulKeyValueStore(_http, ConsulTestOptions.Create());
        _weights = new ConsulVersionWeights(
            new ConsulKeyValueWatch(_http, ConsulTestOptions.Create()),
            Options.Create(new BalancerOptions { Cluster = _cluster }),
            NullLogger<ConsulVersionWeights>.Instance);
    }

    private string Prefix => ClusterKeys.WeightsPrefix(_cluster);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _weights.StopAsync(CancellationToken.None);
        _weights.Dispose();
        await _store.DeleteTreeAsync(Prefix, CancellationToken.None);
        _http.Dispose();
    }

    [Fact]
    public async Task Weights_written_to_consul_reach_the_balancer_and_follow_changes()
    {
        await _weights.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => _weights.Current is { Count: 0 }, "the first (empty) answer");

        await _store.PutAsync(Prefix + "web", Encoding.UTF8.GetBytes("{\"v1\":950,\"v2\":50}"), CancellationToken.None);
        await Eventually.TrueAsync(() => _weights.Current!.TryGetValue("web", out var w) && w.Of("v2") == 50, "the canary weight of 5%");

        await _store.PutAsync(Prefix + "web", Encoding.UTF8.GetBytes("{\"v1\":500,\"v2\":500}"), CancellationToken.None);
        await Eventually.TrueAsync(() => _weights.Current!["web"].Of("v2") == 500, "the weight moved to 50%");

        await _store.DeleteAsync(Prefix + "web", CancellationToken.None);
        await Eventually.TrueAsync(() => _weights.Current!.Count == 0, "the weights removed");
    }
}
