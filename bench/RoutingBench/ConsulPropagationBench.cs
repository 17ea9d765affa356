using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Bollard.Balancer.Routing;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bollard.Bench.Routing;

/// <summary>
/// From a change in the real Consul agent to the balancer serving it: a new instance is registered with Consul's
/// HTTP API (as Bollard's scaler does), and requests are sent through the balancer (composed with the Consul catalog
/// adapter, default options) until one is answered by the new instance. Then it is deregistered and the time until
/// it leaves routing is measured too.
/// </summary>
internal static class ConsulPropagationBench
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task<List<string>> RunAsync(Uri consul, string service, int trials)
    {
        // The instances: one tiny server on 127.0.0.1 with a port per instance, answering with the port it was reached on.
        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        backendBuilder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 0; i <= trials; i++)
            {
                k.Listen(IPAddress.Loopback, 0);
            }
        });
        await using var backends = backendBuilder.Build();
        backends.Run(context => context.Response.WriteAsync(context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)));
        await backends.StartAsync();
        var ports = backends.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToArray();

        using var http = new HttpClient { BaseAddress = consul, Timeout = TimeSpan.FromSeconds(10) };
        var registered = new List<string>();
        try
        {
            var baseId = service + "-base";
            await RegisterAsync(http, baseId, service, ports[0]);
            registered.Add(baseId);

            await using var host = await BalancerHost.StartAsync(null, consul, [new ServiceRoute(service, null, "/")], configure: null);
            using var client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(5) };
            Spin.Until(() => host.Routes(service, baseId), Deadline, "the balancer to route the first instance");

            var put = new Timings();
            var routed = new Timings();
            var served = new Timings();
            var removed = new Timings();
            for (var k = 1; k <= trials; k++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{service}-{k}");
                var expected = ports[k].ToString(CultureInfo.InvariantCulture);
                var t0 = Stopwatch.GetTimestamp();
                await RegisterAsync(http, id, service, ports[k]);
                registered.Add(id);
                put.Add(t0, Stopwatch.GetTimestamp());

                // A client sending requests all along: the first answer from the new instance ends the trial.
                long? tRouted = null;
                while (true)
                {
                    if (tRouted is null && host.Routes(service, id))
                    {
                        tRouted = Stopwatch.GetTimestamp();
                    }

                    var body = await client.GetStringAsync(new Uri("/", UriKind.Relative));
                    if (body == expected)
                    {
                        served.Add(t0, Stopwatch.GetTimestamp());
                        break;
                    }

                    if (Stopwatch.GetElapsedTime(t0) > Deadline)
                    {
                        throw new TimeoutException($"No request reached {id} within {Deadline.TotalSeconds:F0} s.");
                    }
                }

                routed.Add(t0, tRouted ?? Stopwatch.GetTimestamp());

                var t3 = Stopwatch.GetTimestamp();
                await DeregisterAsync(http, id);
                removed.Add(t3, Spin.Until(() => !host.Routes(service, id), Deadline, "the balancer to drop the instance"));

                // Trials apart, as real changes are: the watch's rate limiter (a burst of 2 queries, then one per
                // 100 ms) would otherwise delay the next change.
                await Task.Delay(300);
            }

            return
            [
                put.Row("Consul: register call returned (PUT /v1/agent/service/register)"),
                routed.Row("Consul register -> new instance in YARP's routing"),
                served.Row("Consul register -> first request served by it (target < 100 ms)"),
                removed.Row("Consul deregister -> instance out of YARP's routing"),
            ];
        }
        finally
        {
            foreach (var id in registered)
            {
                await DeregisterAsync(http, id);
            }

            await backends.StopAsync();
        }
    }

    private static async Task RegisterAsync(HttpClient http, string id, string service, int port)
    {
        // The registration Bollard's scaler makes: meta zone/version, an HTTP check that starts passing (a replica
        // is registered only after it passed its check once).
        var json = string.Create(CultureInfo.InvariantCulture, $$$"""
            {"ID":"{{{id}}}","Name":"{{{service}}}","Address":"127.0.0.1","Port":{{{port}}},"Tags":["bollard-bench"],
             "Meta":{"zone":"bench","version":"v1"},
             "Check":{"HTTP":"http://127.0.0.1:{{{port}}}/health","Interval":"10s","Timeout":"2s","DeregisterCriticalServiceAfter":"1m","Status":"passing"}}
            """);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri("/v1/agent/service/register", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    private static async Task DeregisterAsync(HttpClient http, string id)
    {
        using var response = await http.PutAsync(new Uri("/v1/agent/service/deregister/" + Uri.EscapeDataString(id), UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
    }
}
