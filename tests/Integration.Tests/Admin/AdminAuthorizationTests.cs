using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.IntegrationTests.Admin;

/// <summary>
/// Against the real `bollard agent` process: every admin endpoint (enumerated from the agent's own endpoint list, so one
/// added later is covered by itself) refuses every spelling of its path that routing accepts unless the caller has the
/// token, and the balancer's listener never reaches the admin API. Afterwards nothing applied or running has changed.
/// </summary>
public sealed partial class AdminAuthorizationTests
{
    /// <summary>
    /// The endpoints that are public on purpose: probes and scrapes, which change nothing, and the dashboard's files (a
    /// page, a script and a style sheet holding no data: its sign-in form must load without the token; what it shows
    /// comes from the API with the token).
    /// </summary>
    private static readonly string[] PublicEndpoints = ["/healthz", "/metrics", "/ui/{**asset}"];

    /// <summary>Concrete paths of the public endpoints, asked without a token.</summary>
    private static readonly string[] PublicPaths = ["/healthz", "/metrics", "/ui/", "/ui/index.html", "/ui/app.js", "/ui/app.css"];

    [Fact]
    public async Task Every_admin_endpoint_in_every_spelling_refuses_a_caller_without_the_token()
    {
        var service = TestEnvironment.UniqueName("auth");
        await using var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Spec(service, replicas: 1, "/") });
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync()).StartsWith("error", StringComparison.Ordinal), "the replica serving");
        var before = await StateAsync(agent);
        var endpoints = ProtectedEndpoints(agent);
        var token = (await File.ReadAllTextAsync(agent.TokenFile)).Trim();
        Dictionary<string, string>[] callers =
        [
            [],
            new() { ["Authorization"] = "Bearer not-the-token-0123456789abcdef" },
            new() { ["Authorization"] = $"Bearer {token[..^1]}" },
            new() { ["Authorization"] = $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{token}"))}" },
            new() { ["Authorization"] = $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(token))}" },
        ];

        var answered = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            var (body, type) = BodyOf(service, path);
            foreach (var spelling in Spellings(Concrete(path, service)))
            {
                foreach (var caller in callers)
                {
                    var headers = new Dictionary<string, string>(caller) { ["Content-Type"] = type };
                    var (status, text) = await RawHttp.SendAsync(agent.AdminEndPoint, method, spelling, headers, method == "GET" ? "" : body);
                    if (status != 401)
                    {
                        answered.Add($"{method} {spelling} ({(caller.Count == 0 ? "no token" : caller["Authorization"][..10])}...): {status} {text[..Math.Min(text.Length, 120)]}");
                    }
                }
            }
        }

        Assert.True(answered.Count == 0, $"answered without the token:\n{string.Join('\n', answered)}");
        Assert.Equal(before, await StateAsync(agent));
        Assert.True(agent.HasExited is false, "the agent is still running");

        // Routing does accept these spellings: with the token they reach the endpoint, so the 401s above were earned.
        foreach (var spelling in new[] { "/V1/SERVICES", "/v1/Services", "/%76%31/services", "/v1/services/", "/v1/./services", "/v1/x/../services" })
        {
            var (status, _) = await RawHttp.SendAsync(agent.AdminEndPoint, "GET", spelling, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });
            Assert.True(status == 200, $"GET {spelling} with the token answered {status}");
        }
    }

    [Fact]
    public async Task The_public_endpoints_are_exactly_the_probes_and_they_answer_without_a_token()
    {
        await using var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Spec(TestEnvironment.UniqueName("pub"), replicas: 0, "/") });
        await agent.StartAsync();
        await using var app = agent.BuildInProcess();
        var anonymous = app.Services.GetRequiredService<AdminEndpointCatalog>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(PublicEndpoints, anonymous);
        foreach (var path in PublicPaths)
        {
            var (status, _) = await RawHttp.SendAsync(agent.AdminEndPoint, "GET", path.ToUpperInvariant(), new Dictionary<string, string>());
            Assert.Equal(200, status);
        }
    }

    [Fact]
    public async Task The_balancer_listener_never_reaches_the_admin_api_whatever_the_host_header()
    {
        var service = TestEnvironment.UniqueName("edge");
        await using var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Spec(service, replicas: 1, "/app") });
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync("/app")).StartsWith("error", StringComparison.Ordinal), "the replica serving under /app");
        var before = await StateAsync(agent);
        var token = (await File.ReadAllTextAsync(agent.TokenFile)).Trim();

        var reached = new List<string>();
        foreach (var (method, path) in ProtectedEndpoints(agent).Concat(PublicPaths.Select(p => ("GET", p))))
        {
            var (body, type) = BodyOf(service, path);
            foreach (var host in new[] { agent.AdminEndPoint.ToString(), "localhost", $"localhost:{agent.AdminEndPoint.Port}", "admin" })
            {
                var headers = new Dictionary<string, string> { ["Host"] = host, ["Authorization"] = $"Bearer {token}", ["Content-Type"] = type };
                var (status, text) = await RawHttp.SendAsync(agent.Listen, method, Concrete(path, service), headers, method == "GET" ? "" : body);
                if (status != 404)
                {
                    reached.Add($"{method} {path} Host: {host}: {status} {text[..Math.Min(text.Length, 120)]}");
                }
            }
        }

        Assert.True(reached.Count == 0, $"the balancer's listener answered admin paths:\n{string.Join('\n', reached)}");
        Assert.Equal(before, await StateAsync(agent));
    }

    /// <summary>Every endpoint of the admin listener that is not public, as (method, route pattern).</summary>
    private static List<(string Method, string Path)> ProtectedEndpoints(AgentProcess agent)
    {
        using var app = agent.BuildInProcess();
        var endpoints = app.Services.GetRequiredService<AdminEndpointCatalog>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var all = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .ToList();

        // The API's own endpoints must all be there: if one vanished from the list, the test would cover less than it says.
        Assert.Contains(("POST", "/v1/apply"), all);
        Assert.Contains(("POST", "/v1/services/{name}/rollout/{command}"), all);
        Assert.Contains(("GET", "/v1/services"), all);
        Assert.Contains(("GET", "/v1/events"), all);
        return all;
    }

    /// <summary>A route pattern with its parameters filled in: the test's service, a rollout command, any other text.</summary>
    private static string Concrete(string pattern, string service) =>
        RouteParameter().Replace(pattern, m => m.Groups["name"].Value switch
        {
            "name" => service,
            "command" => "abort",
            _ => "anything",
        });

    /// <summary>What an attacker would send: the spec that scales the service to zero, a rollout of another image.</summary>
    private static (string Body, string ContentType) BodyOf(string service, string path) =>
        path.Contains("rollout", StringComparison.Ordinal)
            ? ("""{"image":"bollard-sample:v2"}""", "application/json")
            : (Spec(service, replicas: 0, "/"), "text/yaml");

    /// <summary>Spellings of one path that ASP.NET Core may route to the same endpoint.</summary>
    private static IEnumerable<string> Spellings(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string Join(IEnumerable<string> parts) => "/" + string.Join('/', parts);
        yield return path;
        yield return path.ToUpperInvariant();
        yield return path.ToLowerInvariant();
        yield return new string([.. path.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)]);
        yield return Join(segments.Select(s => $"%{(int)s[0]:x2}{s[1..]}"));
        yield return Join(segments.Select(s => $"%{(int)char.ToUpperInvariant(s[0]):X2}{s[1..]}"));
        yield return "/" + path;
        yield return path.Replace("/", "//", StringComparison.Ordinal);
        yield return path + "/";
        yield return path + "//";
        yield return Join(segments.SelectMany(s => new[] { ".", s }));
        yield return Join(segments.SelectMany(s => new[] { "x", "..", s }));
        yield return Join(segments.SelectMany(s => new[] { "%2e", s }));
        yield return Join(segments.SelectMany(s => new[] { "x", "%2e%2e", s }));
        yield return Join(segments.Select(s => s.ToUpperInvariant())) + "/";
    }

    /// <summary>What must not change: the services as applied and served, the audit log, and the running containers.</summary>
    private static async Task<string> StateAsync(AgentProcess agent)
    {
        using var admin = agent.AdminClient();
        var services = await admin.GetFromJsonAsync<JsonElement>("/v1/services");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/v1/audit");
        var containers = (await agent.RunningContainersAsync()).Select(c => c.ID).Order(StringComparer.Ordinal);
        var summary = services.EnumerateArray().Select(s => $"{s.GetProperty("name")} {s.GetProperty("version")} {s.GetProperty("replicas")}");
        return $"services: {string.Join(", ", summary)}; audit entries: {audit.GetArrayLength()}; containers: {string.Join(", ", containers)}";
    }

    private static string Spec(string service, int replicas, string pathPrefix) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: {replicas}
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: {pathPrefix}{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    [GeneratedRegex(@"\{\**(?<name>\w+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
