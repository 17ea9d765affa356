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

            // The first requests through a fresh host pay for JIT and new connections (hundreds of ms here); the client
            // loop checks routing between requests, so without this the first trial measured the warm-up.
            for (var i = 0; i < 50; i++)
            {
                await client.GetStringAsync(new Uri("/", UriKind.Relative));
            }

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
                var tPut = Stopwatch.GetTimestamp();
                put.Add(t0, tPut);

                // A client sending requests all along: the first answer from the new instance ends the trial.
                long? tRouted = null;
                long tServed;
                var requests = 0;
                while (true)
                {
                    if (tRouted is null && host.Routes(service, id))
                    {
                        tRouted = Stopwatch.GetTimestamp();
                    }

                    var body = await client.GetStringAsync(new Uri("/", UriKind.Relative));
                    requests++;
                    if (body == expected)
                    {
                        tServed = Stopwatch.GetTimestamp();
                        served.Add(t0, tServed);
                        break;
                    }

                    if (Stopwatch.GetElapsedTime(t0) > Deadline)
                    {
                        throw new TimeoutException($"No request reached {id} within {Deadline.TotalSeconds:F0} s.");
                    }
                }

                // Routed between the last check and the request that reached it: count it as routed when served.
                tRouted ??= tServed;
                routed.Add(t0, tRouted.Value);

                // One line per trial in the log, so that an outlier in the table can be traced to its trial.
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"trial {k}: register {Stopwatch.GetElapsedTime(t0, tPut).TotalMilliseconds:F1} ms, routed {Stopwatch.GetElapsedTime(t0, tRouted.Value).TotalMilliseconds:F1} ms, served {Stopwatch.GetElapsedTime(t0, tServed).TotalMilliseconds:F1} ms after {requests} requests"));
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
