using System.Net;

namespace Bollard.Bench.Routing;

/// <summary>A listener on 127.0.0.1 that answers 200 to anything: the health endpoint of simulated replicas.</summary>
internal sealed class HealthStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthStub(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<HealthStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        return new HealthStub(app, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
