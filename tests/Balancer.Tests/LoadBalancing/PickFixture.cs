using System.Globalization;
using Bollard.Balancer.LoadBalancing;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Balancer.Weights;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Tests.LoadBalancing;

/// <summary>Builds YARP cluster and destination states as the routing snapshot would, and counts many picks.</summary>
internal sealed class PickFixture
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The policy never sends requests, so one invoker serves every cluster model.
    private static readonly HttpMessageInvoker NoClient = new(new HttpClientHandler());

    public FakeTimeProvider Time { get; } = new(Start);

    public BalancerOptions Options { get; } = new() { Zone = "a" };

    public int Seed { get; set; } = 42;

    public WeightedZoneAwareLoadBalancingPolicy CreatePolicy() =>
        new(new SeededRandom(Seed), Time, new SettingsMonitor<BalancerOptions>(Options));

    public static DestinationState Destination(string id, string version, string zone = "a", DateTimeOffset? since = null) =>
        new(id, new DestinationModel(new DestinationConfig
        {
            Address = "http://127.0.0.1:1",
            Metadata = new Dictionary<string, string>
            {
                [BalancerMetadata.Version] = version,
                [BalancerMetadata.Zone] = zone,
                [BalancerMetadata.Since] = (since ?? DateTimeOffset.UnixEpoch).UtcTicks.ToString(CultureInfo.InvariantCulture),
            },
        }));

    /// <summary><paramref name="count"/> replicas of a version in a zone, ids "version-zone-i".</summary>
    public static IEnumerable<DestinationState> Replicas(string version, int count, string zone = "a") =>
        Enumerable.Range(0, count).Select(i => Destination($"{version}-{zone}-{i}", version, zone));

    /// <param name="weights">The version split, as the route's weights put it on the cluster.</param>
    /// <param name="slowStart">The route's own slow-start window, as the routing snapshot puts it on the cluster.</param>
    public static ClusterState Cluster(IReadOnlyDictionary<string, int>? weights = null, TimeSpan? slowStart = null)
    {
        var metadata = new Dictionary<string, string> { [BalancerMetadata.Service] = "web" };
        if (weights is not null)
        {
            metadata[BalancerMetadata.Weights] = VersionWeightsJson.Format(new VersionWeights(weights));
        }

        if (slowStart is { } window)
        {
            metadata[BalancerMetadata.SlowStartWindow] = window.Ticks.ToString(CultureInfo.InvariantCulture);
        }

        return new ClusterState("svc-web", new ClusterModel(new ClusterConfig { ClusterId = "svc-web", Metadata = metadata }, NoClient));
    }

    /// <summary>How many of <paramref name="picks"/> picks landed on each key (version, zone or id).</summary>
    public static Dictionary<string, int> Count(
        WeightedZoneAwareLoadBalancingPolicy policy,
        ClusterState cluster,
        IReadOnlyList<DestinationState> destinations,
        int picks,
        Func<DestinationState, string> key,
        Action<HttpContext>? request = null)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        // Without request details one context serves every pick (the policy only reads it then).
        var shared = new DefaultHttpContext();
        for (var i = 0; i < picks; i++)
        {
            var context = shared;
            if (request is not null)
            {
                context = new DefaultHttpContext();
                request(context);
            }

            var picked = policy.PickDestination(context, cluster, destinations)!;
            var k = key(picked);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }

        return counts;
    }

    public static string VersionOf(DestinationState d) => d.Model.Config.Metadata![BalancerMetadata.Version];

    public static string ZoneOf(DestinationState d) => d.Model.Config.Metadata![BalancerMetadata.Zone];

    public static double Share(Dictionary<string, int> counts, string key) =>
        (double)counts.GetValueOrDefault(key) / counts.Values.Sum();
}
