using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.Scaler.Tests.Admin;

/// <summary>The admin API alone on an in-memory test server, with a token file in a temp directory.</summary>
internal sealed class AdminApiHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";
    private readonly WebApplication _app;

    private AdminApiHost(WebApplication app, string directory, FakeControlPlane plane)
    {
        _app = app;
        Directory = directory;
        Plane = plane;
    }

    public string Directory { get; }

    public FakeControlPlane Plane { get; }

    public static async Task<AdminApiHost> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"bollard-admin-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var plane = new FakeControlPlane();
        builder.Services.AddSingleton<IControlPlane>(plane);
        builder.Services.AddSingleton(new DecisionLog());
        builder.Services.AddSingleton(new InMemoryServiceSpecSource([]));
        builder.Services.AddStateStore(o => o.Directory = directory);
        builder.Services.AddSecrets(SecretKey.Ephemeral());
        builder.Services.AddAdminApi(o => o.TokenFile = tokenFile);
        var app = builder.Build();
        app.UseAdminApi();
        await app.StartAsync();
        return new AdminApiHost(app, directory, plane);
    }

    public HttpClient Client(string? token = Token)
    {
        var client = _app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
