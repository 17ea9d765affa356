using System.Net;
using System.Net.Http.Json;
using Bollard.Balancer;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Weights;
using Bollard.Discovery;
using Bollard.Discovery.Embedded;
using Bollard.IntegrationTests.Docker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bollard.IntegrationTests.Balancer;

/// <summary>
/// A canary split measured on real containers: 3 replicas of v1 and 1 of v2 of the sample app, registered in the
/// embedded catalog, behind the real balancer with v2 weighted 5%. The share is per request, not per replica (a
/// replica split would give v2 25%).
/// </summary>
public sealed class WeightedSplitTests
{
    private const int Requests = 4000;

    [Fact]
    public async Task One_canary_replica_weighted_5_percent_answers_5_percent_of_requests()
    {
        await using var engine = await DockerTestEngine.StartAsync();
        using var probes = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await using var catalog = new EmbeddedServiceCatalog(new HttpHealthProber(probes));
        foreach (var version in new[] { "v1", "v1", "v1", "v2" })
        {
            var replica = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest("web", version), CancellationToken.None);
            await Eventually.ValueAsync(() => SampleReply.GetAsync(probes, replica.HostAddress!, replica.HostPort!.Value), r => r is not null, $"the {version} replica to answer");
            await catalog.RegisterAsync(
                new ServiceRegistration(replica.ShortId, "web", replica.HostAddress!, replica.HostPort!.Value, "zone-a", version,
                    new HealthCheckRegistration(new Uri($"http://{replica.HostAddress}:{replica.HostPort}/health"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1))),
                CancellationToken.None);
        }

        var weights = new InMemoryVersionWeights();
        weights.Set("web", new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 });
        await using var balancer = await StartBalancerAsync(catalog, weights);
        using var http = new HttpClient { BaseAddress = balancer.Address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () => (await http.GetFromJsonAsync<SampleReply>("/")) is not null && balancer.Serves(4),
            "the balancer routing to all four replicas");

        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Requests; i++)
        {
            var reply = await http.GetFromJsonAsync<SampleReply>($"/split/{i}");
            versions[reply!.Version] = versions.GetValueOrDefault(reply.Version) + 1;
        }

        // Binomial(4000, 0.05) has a standard deviation of 0.34 points: 1.5 points is more than 4 sigmas.
        var share = (double)versions.GetValueOrDefault("v2") / Requests;
        Assert.InRange(share, 0.035, 0.065);
        Assert.Equal(Requests, versions.Values.Sum());
    }

    private static async Task<RunningBalancer> StartBalancerAsync(IServiceCatalog catalog, InMemoryVersionWeights weights)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<IServiceRouteSource>(new InMemoryServiceRouteSource([new ServiceRoute("web", null, "/")]));
        builder.Services.AddSingleton(weights);
        builder.Services.AddBalancer(o => o.Zone = "zone-a");
        var app = builder.Build();
        app.MapBalancer();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningBalancer(app, new Uri(address));
    }

    private sealed class RunningBalancer(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public bool Serves(int destinations) =>
            app.Services.GetRequiredService<SnapshotProxyConfigProvider>().Snapshot.Find("web")?.Destinations.Length == destinations;

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
