using Bollard.Agent;
using Bollard.Balancer.Routing;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The spec's route, as the agent hands it to the balancer (no Docker or Consul needed).</summary>
public sealed class AgentRoutesTests
{
    [Fact]
    public void A_routes_timeout_concurrency_limit_and_slow_start_reach_the_balancer()
    {
        var specs = SpecLoader.LoadTexts(
        [
            ("web.yaml", "name: web\nimage: app:1\nport: 80\nhealth: {path: /ready}\nroute: {pathPrefix: /api, timeout: 2s, maxConcurrentRequests: 50, slowStart: 1m}\n"),
            ("plain.yaml", "name: plain\nimage: app:1\nport: 80\nroute: {host: plain.test}\n"),
            ("hidden.yaml", "name: hidden\nimage: app:1\nport: 80\n"),
        ]);

        var routes = AgentHost.RoutesOf(specs).OrderBy(r => r.Service, StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                new ServiceRoute("plain", "plain.test", null) { HealthPath = "/health" },
                new ServiceRoute("web", null, "/api") { HealthPath = "/ready", Timeout = TimeSpan.FromSeconds(2), MaxConcurrentRequests = 50, SlowStartWindow = TimeSpan.FromMinutes(1) },
            ],
            routes);
    }
}
