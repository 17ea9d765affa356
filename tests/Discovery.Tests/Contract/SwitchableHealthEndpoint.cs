using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bollard.Discovery.Tests.Contract;

/// <summary>A real HTTP health endpoint on 127.0.0.1 (a free port) that answers 200, or 503 once switched off.</summary>
public sealed class SwitchableHealthEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile bool healthy = true;

    private SwitchableHealthEndpoint(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public bool Healthy
    {
        get => healthy;
        set => healthy = value;
    }

    public static async Task<SwitchableHealthEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SwitchableHealthEndpoint? endpoint = null;
        app.MapGet("/health", () => endpoint!.Healthy ? Results.Text("ok") : Results.StatusCode(503));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint = new SwitchableHealthEndpoint(app, new Uri(new Uri(address), "/health"));
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
