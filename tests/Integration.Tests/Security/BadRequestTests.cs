using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// A real agent (real Docker engine) refuses bad requests at once with a 4xx and changes nothing: an image its engine
/// does not have, and a seeded corpus of malformed YAML, JSON and headers thrown at validate, plan, apply and the
/// rollout endpoints. The agent stays alive and its state stays as it was.
/// </summary>
public sealed class BadRequestTests
{
    private const int Seed = 20_260_509;

    [Fact]
    public async Task A_rollout_apply_or_plan_naming_an_image_the_engine_lacks_is_422_naming_it_and_the_host_and_starts_nothing()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("noimage"), replicas: 1);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(1)).All(r => !r.StartsWith("error", StringComparison.Ordinal)), "the service serves");
        var before = await StateOfAsync(agent);
        var missing = $"{TestEnvironment.SampleImage}:missing-{Guid.NewGuid():N}";
        using var http = Client(agent);

        using var rollout = await http.PostAsJsonAsync(new Uri($"v1/services/{agent.Service}/rollout", UriKind.Relative), new { image = missing });
        var spec = $"name: {agent.Service}\nimage: {missing}\nport: 8080\nroute: {{pathPrefix: /}}\n";
        using var apply = await http.PostAsync(new Uri("v1/apply", UriKind.Relative), new StringContent(spec, Encoding.UTF8, "text/yaml"));
        using var plan = await http.PostAsync(new Uri("v1/plan", UriKind.Relative), new StringContent(spec, Encoding.UTF8, "text/yaml"));

        foreach (var response in new[] { rollout, apply, plan })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains(missing, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains($"host {agent.Config.HostName}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal((missing, agent.Config.HostName), (problem.GetProperty("image").GetString(), problem.GetProperty("host").GetString()));
        }

        Assert.Null(agent.Services.GetRequiredService<DeploymentCoordinator>().Current(agent.Service)?.Rollout);
        Assert.Equal(before, await StateOfAsync(agent));
    }

    [Fact]
    public async Task Malformed_yaml_json_and_headers_get_only_4xx_and_leave_the_agent_alive_and_its_state_unchanged()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("fuzz"), replicas: 1);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(1)).All(r => !r.StartsWith("error", StringComparison.Ordinal)), "the service serves");
        var before = await StateOfAsync(agent);
        var valid = await File.ReadAllTextAsync(agent.Specs.Single().Source);
        var random = new Random(Seed);
        using var http = Client(agent);
        var seen = new List<string>();

        async Task SendAsync(string path, HttpContent content, string what)
        {
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
            var status = (int)response.StatusCode;
            seen.Add($"{status}");
            Assert.True(status is >= 400 and < 500, $"seed {Seed}: {what} to {path} got {status}: {await response.Content.ReadAsStringAsync()}");
        }

        // Spec texts: mutations of the valid spec that the spec loader refuses, and hostile classics.
        var texts = Corpus.Hostile().Concat(Enumerable.Range(0, 300).Select(_ => Corpus.Mutate(valid, random))).Where(t => !IsValid(t)).ToList();
        foreach (var text in texts)
        {
            foreach (var path in new[] { "v1/validate", "v1/plan", "v1/apply" })
            {
                await SendAsync(path, new StringContent(text, Encoding.UTF8, "text/yaml"), "a malformed spec");
            }

            await SendAsync("v1/apply", JsonContent.Create(new { files = new[] { new { name = "x.yaml", text } } }), "a malformed spec in JSON");
            await SendAsync($"v1/services/{agent.Service}/rollout", JsonContent.Create(new { spec = new { name = "x.yaml", text } }), "a rollout to a malformed spec");
        }

        // JSON bodies: mutations of valid request bodies, and hostile classics.
        var bodies = Corpus.HostileJson().Concat(Enumerable.Range(0, 200).Select(_ => Corpus.Mutate($"{{\"image\":\"{TestEnvironment.SampleImage}:v1\",\"files\":[{{\"name\":\"a\",\"text\":\"b\"}}]}}", random))).ToList();
        foreach (var body in bodies)
        {
            foreach (var path in new[] { "v1/plan", "v1/apply", $"v1/services/{agent.Service}/rollout" })
            {
                if (path.EndsWith("rollout", StringComparison.Ordinal) && IsRolloutOfARunningImage(body))
                {
                    continue; // a well-formed rollout to an image that is there would (rightly) be accepted
                }

                await SendAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), "a malformed JSON body");
            }
        }

        // Headers: content types, charsets and a header past the server's limits; then raw requests no client would send.
        foreach (var type in Corpus.ContentTypes(random).Take(60))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/apply", UriKind.Relative)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("name: [")) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            using var response = await http.SendAsync(request);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"seed {Seed}: content type '{type}' got {(int)response.StatusCode}");
        }

        using (var huge = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/apply", UriKind.Relative)) { Content = new StringContent("x") })
        {
            huge.Headers.TryAddWithoutValidation("X-Bollard-Actor", new string('a', 64 * 1024));
            using var response = await http.SendAsync(huge);
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        }

        foreach (var raw in Corpus.RawRequests(agent.Service, Token(agent)))
        {
            var status = await RawStatusAsync(agent.Config.Admin, raw);
            Assert.True(status is null or (>= 400 and < 500), $"raw request {raw[..Math.Min(raw.Length, 60)].ReplaceLineEndings(" ")} got {status}");
        }

        // Alive, serving, and nothing changed.
        Assert.True(seen.Count > 1000, $"only {seen.Count} requests were sent");
        using (var health = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await health.GetAsync(new Uri(agent.Admin, "/healthz"))).StatusCode);
        }

        Assert.All(await agent.AskAsync(5), r => Assert.False(r.StartsWith("error", StringComparison.Ordinal), r));
        Assert.Equal(before, await StateOfAsync(agent));
    }

    /// <summary>What an accepted request would change: the applied specs' version, the desired specs, the rollout record, the audit log, the replicas.</summary>
    private static async Task<string> StateOfAsync(AgentFixture agent)
    {
        var state = agent.Services.GetRequiredService<IStateStore>();
        var desired = await state.GetAsync(StateKeys.DesiredSpecs, CancellationToken.None);
        var audit = await agent.Services.GetRequiredService<IAuditLog>().ReadAsync(null, 1000, CancellationToken.None);
        var specs = agent.Services.GetRequiredService<InMemoryServiceSpecSource>().Current.Select(s => $"{s.Name}@{s.Version}");
        var containers = (await agent.RunningContainersAsync()).Select(c => c.ID).Order(StringComparer.Ordinal);
        return $"desired {desired?.Version}; audit {audit.Count}; specs {string.Join(",", specs)}; containers {string.Join(",", containers)}; " +
            $"rollout {agent.Services.GetRequiredService<DeploymentCoordinator>().Current(agent.Service)?.Rollout?.NewVersion}";
    }

    private static bool IsValid(string text)
    {
        try
        {
            SpecLoader.LoadTexts([("x.yaml", text)]);
            return true;
        }
        catch (SpecValidationException)
        {
            return false;
        }
    }

    private static bool IsRolloutOfARunningImage(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<RolloutRequest>(body, JsonSerializerOptions.Web) is { Image.Length: > 0 } or { Spec: not null };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Token(AgentFixture agent) => File.ReadAllText(Path.Combine(agent.Config.StateDirectory, AdminToken.DefaultFileName)).Trim();

    private static HttpClient Client(AgentFixture agent)
    {
        var http = new HttpClient { BaseAddress = agent.Admin, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(agent));
        return http;
    }

    /// <summary>Sends a raw HTTP/1.1 request; the status of the answer, or null when the server closed the connection without one.</summary>
    private static async Task<int?> RawStatusAsync(IPEndPoint admin, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(admin);
        var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[512];
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await stream.ReadAsync(buffer, deadline.Token);
            var head = Encoding.Latin1.GetString(buffer, 0, read);
            return head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(head[9..12], System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
