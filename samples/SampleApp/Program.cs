using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.SampleApp;
using Bollard.SampleApp.Streams;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// A stateless HTTP replica for Bollard's demos and tests: it says who it is, costs what it is told to cost, and
// fails its health check on request. The default host already stops gracefully on SIGTERM.
var settings = WorkloadSettings.FromEnvironment();
var port = Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } p ? int.Parse(p, CultureInfo.InvariantCulture) : 8080;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // One port for HTTP/1.1 and h2c (gRPC, http2 routes): see H2cPriorKnowledge.
    kestrel.AllowAlternateSchemes = true;
    kestrel.Listen(IPAddress.Any, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.Use(H2cPriorKnowledge.Detect);
    });
});
builder.Services.AddSingleton(settings);
builder.Services.AddGrpc();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default));

// Per-request framework logs would drown the container's log under load; startup and errors still show.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
// Kestrel warns at start that a cleartext endpoint allowing HTTP/2 speaks HTTP/1.1 only; H2cPriorKnowledge makes it untrue.
builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
var app = builder.Build();
app.UseWebSockets();
app.MapGrpcService<EchoService>();
app.Map(WebSocketEcho.Path, WebSocketEcho.HandleAsync);
app.MapGet(ServerSentEvents.Path, ServerSentEvents.HandleAsync);
app.MapGet("/sample/protocol", (HttpContext context) => Results.Text(context.Request.Protocol));

app.MapGet("/health", (WorkloadSettings s) =>
    s.FailHealth ? Results.Text("failing", statusCode: StatusCodes.Status503ServiceUnavailable) : Results.Text("ok"));

app.MapPost("/admin/fail-health", (WorkloadSettings s) =>
{
    s.FailHealth = true;
    return Results.Text("health now fails");
});

app.MapPost("/admin/recover-health", (WorkloadSettings s) =>
{
    s.FailHealth = false;
    return Results.Text("health recovered");
});

app.MapPost("/admin/config", (WorkloadSettings s, int? latencyMs, int? cpuMs, double? errorRate) =>
{
    var current = s.Costs;
    try
    {
        s.Costs = new WorkloadCosts(
            latencyMs ?? current.LatencyMs, cpuMs ?? current.CpuMs, errorRate ?? current.ErrorRate).Validate();
    }
    catch (ArgumentException e)
    {
        return Results.BadRequest(e.Message);
    }

    return Results.Json(s.Costs, SampleJsonContext.Default.WorkloadCosts);
});

// Every other path answers too, so that path-prefix routes of the balancer can be tested against one image.
app.Map("/{**path}", async (HttpContext context, WorkloadSettings s) =>
{
    var costs = s.Costs;
    if (costs.LatencyMs > 0)
    {
        await Task.Delay(costs.LatencyMs, context.RequestAborted);
    }

    if (costs.CpuMs > 0)
    {
        // A busy spin, not a sleep: the point is to load the CPU so that CPU-based autoscaling sees it.
        var spin = Stopwatch.StartNew();
        while (spin.ElapsedMilliseconds < costs.CpuMs)
        {
            Thread.SpinWait(1000);
        }
    }

    var reply = new Reply(s.Replica, s.Version, s.Zone, context.Request.Path.Value ?? "/");
    var failed = costs.ErrorRate > 0 && Random.Shared.NextDouble() < costs.ErrorRate;
    return Results.Json(reply, SampleJsonContext.Default.Reply, statusCode: failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK);
});

app.Run();

internal sealed record Reply(string Replica, string Version, string Zone, string Path);

// Source-generated JSON: the image is compiled ahead of time, where reflection-based serialization is not available.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Reply))]
[JsonSerializable(typeof(WorkloadCosts))]
[JsonSerializable(typeof(string))] // Results.BadRequest(message)
internal sealed partial class SampleJsonContext : JsonSerializerContext;
