using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;
using Yarp.ReverseProxy.Model;
using static Bollard.Balancer.Tests.LoadBalancing.PickFixture;

namespace Bollard.Balancer.Tests.LoadBalancing;

public sealed class TmpPerfTests(ITestOutputHelper output)
{
    [Fact]
    public void Perf()
    {
        DestinationState[] destinations = [.. Replicas("v1", 10), .. Replicas("v2", 1)];
        var cluster = Cluster(new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 });
        var policy = new Bollard.Balancer.LoadBalancing.WeightedZoneAwareLoadBalancingPolicy(new Bollard.Balancer.LoadBalancing.SharedRandomSource(), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new BalancerOptions { Zone = "a" }));
        var context = new DefaultHttpContext();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 100_000; i++) { policy.PickDestination(context, cluster, destinations); }
        output.WriteLine($"pick same ctx: {sw.Elapsed.TotalMilliseconds * 10} ns/op");
        var yarp = (Yarp.ReverseProxy.LoadBalancing.ILoadBalancingPolicy)Activator.CreateInstance(typeof(Yarp.ReverseProxy.LoadBalancing.ILoadBalancingPolicy).Assembly.GetType("Yarp.ReverseProxy.LoadBalancing.PowerOfTwoChoicesLoadBalancingPolicy")!, [Bollard.Balancer.Tests.LoadBalancing.PickFixture.Yrandom()])!;
        sw.Restart();
        for (var i = 0; i < 100_000; i++) { yarp.PickDestination(context, cluster, destinations); }
        output.WriteLine($"yarp p2c: {sw.Elapsed.TotalMilliseconds * 10} ns/op");
        sw.Restart();
        for (var i = 0; i < 100_000; i++) { policy.PickDestination(context, cluster, destinations); }
        output.WriteLine($"pick again: {sw.Elapsed.TotalMilliseconds * 10} ns/op");
        sw.Restart();
        for (var i = 0; i < 100_000; i++) { _ = new DefaultHttpContext(); }
        output.WriteLine($"ctx: {sw.Elapsed.TotalMilliseconds * 10} ns/op");
        sw.Restart();
        Count(policy, cluster, destinations, 100_000, VersionOf);
        output.WriteLine($"count: {sw.Elapsed.TotalMilliseconds * 10} ns/op");
    }
}
