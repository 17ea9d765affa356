using System.Globalization;
using System.Net;
using System.Runtime;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

// A plain YARP reverse proxy with static in-memory config: one catch-all route to one cluster of the given
// backends, YARP's default pipeline and forwarder client. It is the baseline Bollard's balancer is compared with.
//
//   plain-yarp LISTEN BACKEND [BACKEND...]      e.g. plain-yarp 127.0.0.1:18081 http://127.0.0.1:18091 http://127.0.0.1:18092
//
// With PLAIN_YARP_HTTPS=ADDRESS:PORT, PLAIN_YARP_CERT=PEM and PLAIN_YARP_KEY=PEM it also listens with HTTPS there, as
// Kestrel's documentation shows it (one certificate, HTTP/1.1 and HTTP/2 by ALPN, Kestrel's default TLS settings).
if (args.Length < 2 || !IPEndPoint.TryParse(args[0], out var listen))
{
    await Console.Error.WriteLineAsync("usage: plain-yarp LISTEN_ADDRESS:PORT BACKEND_URL [BACKEND_URL...]");
    return 2;
}

IPEndPoint? httpsListen = Environment.GetEnvironmentVariable("PLAIN_YARP_HTTPS") is { Length: > 0 } https ? IPEndPoint.Parse(https) : null;

var builder = WebApplication.CreateBuilder();

// The filters of YARP's own samples (appsettings.json) and of Bollard's AgentHost: without them every proxied
// request is logged at Information, and the console would be measured instead of the proxy.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Yarp", LogLevel.Warning);
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(listen);
    if (httpsListen is not null)
    {
        var certificate = X509Certificate2.CreateFromPemFile(Environment.GetEnvironmentVariable("PLAIN_YARP_CERT")!, Environment.GetEnvironmentVariable("PLAIN_YARP_KEY"));
        kestrel.Listen(httpsListen, l =>
        {
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(certificate);
        });
    }
});

var destinations = args.Skip(1)
    .Select((address, i) => (Id: string.Create(CultureInfo.InvariantCulture, $"backend-{i + 1}"), Address: address))
    .ToDictionary(d => d.Id, d => new DestinationConfig { Address = d.Address }, StringComparer.OrdinalIgnoreCase);

builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backends", Match = new RouteMatch { Path = "/{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "backends", LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices, Destinations = destinations }]);

var app = builder.Build();
app.MapReverseProxy();

// One line for the benchmark log: which GC the runtime really chose (see bench/balancer.sh about pinning).
var gc = GC.GetConfigurationVariables();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"plain-yarp: listening on {listen}{(httpsListen is null ? "" : $" and https://{httpsListen}")}, {destinations.Count} backends, server GC: {GCSettings.IsServerGC}, GC heaps: {gc.GetValueOrDefault("HeapCount")}, concurrent: {gc.GetValueOrDefault("ConcurrentGCEnabled")}, processors: {Environment.ProcessorCount}"));
await app.RunAsync();
return 0;
