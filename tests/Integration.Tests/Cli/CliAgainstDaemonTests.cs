using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bollard.Cli;

namespace Bollard.IntegrationTests.Cli;

/// <summary>The `bollard` verbs against a running daemon, through the CLI's entry point with captured output.</summary>
public sealed class CliAgainstDaemonTests(CliDaemonFixture daemon) : IClassFixture<CliDaemonFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Validate_works_without_a_daemon_and_reports_located_errors()
    {
        var good = Spec("good.yaml", replicas: 1);
        var bad = Write("bad.yaml", "name: web\nimage: x:1\nport: nope\n");

        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("validate", good)).Code);
        var (code, _, error) = await daemon.RunAsync("validate", "-f", bad);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Matches(@"bad\.yaml:3:\d+: port:", error);
    }

    [Fact]
    public async Task Plan_shows_the_change_then_apply_makes_it_and_status_decisions_and_audit_show_it()
    {
        var file = Spec($"{daemon.Agent.Service}.yaml", replicas: 2);

        var plan = await daemon.RunAsync("plan", "-f", file);
        Assert.True(plan.Code == CommandLine.Ok, plan.Error);
        Assert.Contains("1 to change", plan.Out, StringComparison.Ordinal);
        Assert.Contains($"{daemon.Agent.Service}: replicas: 1 -> 2", plan.Out, StringComparison.Ordinal);

        var apply = await daemon.RunAsync("apply", "-f", file);
        Assert.True(apply.Code == CommandLine.Ok, apply.Error);
        Assert.Contains("Applied (ok)", apply.Out, StringComparison.Ordinal);

        Assert.Contains("No changes.", (await daemon.RunAsync("plan", "-f", file)).Out, StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () => JsonDocument.Parse((await daemon.RunAsync("status", daemon.Agent.Service, "--json")).Out).RootElement.GetProperty("healthyReplicas").GetInt32() == 2,
            "two healthy replicas after the apply");

        var status = await daemon.RunAsync("status");
        Assert.Matches($@"{daemon.Agent.Service}\s+\w+\s+2\s+2\s+healthy", status.Out);
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("decisions", daemon.Agent.Service)).Code);
        var audit = await daemon.RunAsync("audit", "--json");
        Assert.Contains("\"action\": \"apply\"", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_spec_is_refused_with_its_errors_and_exit_code_1()
    {
        var (code, _, error) = await daemon.RunAsync("plan", "-f", Write("broken.yaml", "name: web\nimage: x:1\n"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("(400)", error, StringComparison.Ordinal);
        Assert.Contains("broken.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_exits_4()
    {
        var wrong = Write("token", "not-the-token-0123456789");
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = await CommandLine.RunAsync(["status", "--server", daemon.Server, "--token-file", wrong], new CliContext(output, error, _ => null, TimeProvider.System), default);

        Assert.Equal(CommandLine.AuthFailed, code);
        Assert.Contains("the daemon refused the token (401): check --token-file", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_daemon_exits_3()
    {
        var port = FreePort();
        var (output, error) = (new StringWriter(), new StringWriter());
        var env = new Dictionary<string, string> { ["BOLLARD_SERVER"] = $"http://127.0.0.1:{port}", ["BOLLARD_TOKEN"] = "whatever-token-value" };

        var code = await CommandLine.RunAsync(["status"], new CliContext(output, error, n => env.GetValueOrDefault(n), TimeProvider.System), default);

        Assert.Equal(CommandLine.Unreachable, code);
        Assert.Contains($"cannot reach the bollard daemon at http://127.0.0.1:{port} (connection refused); is `bollard agent` running?", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_metrics_need_no_token_the_api_does_and_the_balancer_listener_never_serves_it()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(daemon.Agent.Balancer, "/v1/services"));
        request.Headers.Authorization = new("Bearer", (await File.ReadAllTextAsync(daemon.TokenFile)).Trim());

        Assert.Equal("ok\n", await http.GetStringAsync(new Uri(daemon.Agent.Admin, "/healthz")));
        Assert.Contains("# TYPE", await http.GetStringAsync(new Uri(daemon.Agent.Admin, "/metrics")), StringComparison.Ordinal);
        using var unauthenticated = await http.GetAsync(new Uri(daemon.Agent.Admin, "/v1/services"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        using var throughBalancer = await http.SendAsync(request);
        Assert.DoesNotContain("healthyReplicas", await throughBalancer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string Spec(string name, int replicas) => Write(name, $"""
        name: {daemon.Agent.Service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: {replicas}
        health:
          interval: 500ms
        route:
          pathPrefix: /
        drainTimeout: 1s
        stopGracePeriod: 2s
        """);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
