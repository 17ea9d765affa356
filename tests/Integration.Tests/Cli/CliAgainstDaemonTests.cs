using System.Net;
using System.Text;
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
        Assert.DoesNotContain("daemon", error, StringComparison.Ordinal);

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

        var run = (await BollardExecutable.RunAsync(["status", "--server", daemon.Server, "--token-file", wrong])).WithoutStackTrace();

        Assert.Equal(CommandLine.AuthFailed, run.Code);
        Assert.Contains("the daemon refused the token (401): check --token-file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_cannot_be_read_exits_4_when_the_daemon_answers_and_3_when_it_does_not()
    {
        var missing = Path.Combine(_directory, "no-such-token");

        var answering = (await BollardExecutable.RunAsync(["status", "--server", daemon.Server, "--token-file", missing])).WithoutStackTrace();
        var stopped = (await BollardExecutable.RunAsync(["status", "--token-file", missing], environment: new Dictionary<string, string> { ["BOLLARD_SERVER"] = $"http://127.0.0.1:{FreePort()}" })).WithoutStackTrace();

        Assert.Equal(CommandLine.AuthFailed, answering.Code);
        Assert.Contains($"cannot read the admin token from {missing}", answering.Error, StringComparison.Ordinal);
        Assert.Equal(CommandLine.Unreachable, stopped.Code);
        Assert.Contains("cannot reach the bollard daemon at http://127.0.0.1:", stopped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("token", stopped.Error[..stopped.Error.IndexOf('(', StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_daemon_exits_3()
    {
        var port = FreePort();
        var environment = new Dictionary<string, string> { ["BOLLARD_SERVER"] = $"http://127.0.0.1:{port}", ["BOLLARD_TOKEN"] = "whatever-token-value" };

        var run = (await BollardExecutable.RunAsync(["status"], environment: environment)).WithoutStackTrace();

        Assert.Equal(CommandLine.Unreachable, run.Code);
        Assert.Contains($"cannot reach the bollard daemon at http://127.0.0.1:{port} (connection refused); is `bollard agent` running?", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "text/html", "<html><body>It works!</body></html>")]
    [InlineData(HttpStatusCode.NotFound, "text/plain", "404 page not found")]
    [InlineData(HttpStatusCode.OK, "application/json", "{\"hello\": \"world\"}")]
    public async Task A_server_that_is_not_bollard_is_named_as_such(HttpStatusCode status, string type, string body)
    {
        using var other = new OtherServer(status, type, body);

        var run = (await BollardExecutable.RunAsync(["status", "--server", other.Url, "--token-file", daemon.TokenFile])).WithoutStackTrace();

        Assert.Equal(CommandLine.Unreachable, run.Code);
        Assert.Contains($"no bollard admin API at {other.Url}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_take_their_value_after_an_equals_sign_too()
    {
        var run = (await BollardExecutable.RunAsync(["status", $"--server={daemon.Server}", $"--token-file={daemon.TokenFile}", "--output=json"])).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Ok, run.ToString());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(run.Out).RootElement.ValueKind);
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

    /// <summary>An HTTP server that is not bollard (what --server pointed at the wrong port reaches): the same answer to everything.</summary>
    private sealed class OtherServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public OtherServer(HttpStatusCode status, string type, string body)
        {
            Url = $"http://127.0.0.1:{FreePort()}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    context.Response.StatusCode = (int)status;
                    context.Response.ContentType = type;
                    var bytes = Encoding.UTF8.GetBytes(body);
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
