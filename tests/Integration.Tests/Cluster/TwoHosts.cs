using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Discovery;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Two hosts of one cluster as a fleet runs them: each its own Docker engine, its own Consul agent (host a's a client
/// joined to host b's server) and its own real `bollard agent` process with <c>controller: cluster</c> and
/// <c>balancer.zones: spread</c>. Host a's agent starts first and is the controller; host b's joins it.
/// </summary>
internal sealed class TwoHosts : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private TwoHosts(ConsulTestAgent server, ConsulTestAgent client, string cluster, string service)
    {
        (Server, Client, Cluster, ServiceName) = (server, client, cluster, service);
    }

    /// <summary>Host b's Consul agent, the server.</summary>
    public ConsulTestAgent Server { get; }

    /// <summary>Host a's Consul agent, a client of the server.</summary>
    public ConsulTestAgent Client { get; }

    public string Cluster { get; }

    public string ServiceName { get; }

    /// <summary>Host a's agent (the first controller).</summary>
    public AgentProcess A { get; private set; } = null!;

    /// <summary>Host b's agent.</summary>
    public AgentProcess B { get; private set; } = null!;

    public string LeaderKey => ClusterKeys.Leader(Cluster);

    /// <summary>Starts both Consul agents and both bollard agents; returns once host a's agent leads and every replica serves through b's balancer.</summary>
    /// <param name="engineA">Host a's Docker endpoint.</param>
    /// <param name="engineB">Host b's Docker endpoint.</param>
    /// <param name="scaling">The spec's replica lines (and any other spec lines).</param>
    /// <param name="replicas">How many replicas serve once started.</param>
    public static async Task<TwoHosts> StartAsync(string engineA, string engineB, string scaling, int replicas)
    {
        var server = await ConsulTestAgent.StartAsync();
        ConsulTestAgent? client = null;
        TwoHosts? hosts = null;
        try
        {
            client = await ConsulTestAgent.StartClientAsync(server);
            hosts = new TwoHosts(server, client, TestEnvironment.UniqueName("failover"), TestEnvironment.UniqueName("fo"));
            hosts.A = hosts.Agent("a", "zone-a", engineA, client, scaling);
            hosts.B = hosts.Agent("b", "zone-b", engineB, server, scaling);
            await hosts.A.StartAsync();
            await Eventually.TrueAsync(async () => await hosts.HolderAsync() is { } holder && holder.StartsWith("a/", StringComparison.Ordinal), "host a's agent leading", TimeSpan.FromSeconds(60));
            await hosts.B.StartAsync();
            await Eventually.TrueAsync(
                async () => (await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => hosts.B.AskAsync()))).Where(id => !id.StartsWith("error", StringComparison.Ordinal)).Distinct().Count() == replicas
                    && (await hosts.A.RunningContainersAsync()).Count > 0 && (await hosts.B.RunningContainersAsync()).Count > 0,
                $"{replicas} replicas over both hosts serving through host b's balancer",
                TimeSpan.FromSeconds(120));
            return hosts;
        }
        catch
        {
            if (hosts is not null)
            {
                await hosts.DisposeAsync();
            }
            else
            {
                client?.Dispose();
                server.Dispose();
            }

            throw;
        }
    }

    /// <summary>The controller lock's holder (the agent's name, "a/..." or "b/...") while a session holds it, else null.</summary>
    public async Task<string?> HolderAsync() => (await LockAsync())?.Holder;

    /// <summary>The controller lock as the server sees it: holder, session and the index it was taken at; null while no session holds it.</summary>
    public async Task<(string Holder, string Session, ulong Index)?> LockAsync()
    {
        using var response = await _http.GetAsync(new Uri(Server.Address, $"/v1/kv/{LeaderKey}"));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var entry = (await response.Content.ReadFromJsonAsync<JsonElement>())[0];
        return entry.TryGetProperty("Session", out var session) && session.GetString() is { Length: > 0 } id
            ? (Encoding.UTF8.GetString(entry.GetProperty("Value").GetBytesFromBase64()), id, entry.GetProperty("ModifyIndex").GetUInt64())
            : null;
    }

    /// <summary>The controller lock once the agent of <paramref name="host"/> holds it.</summary>
    public async Task<(string Holder, string Session, ulong Index)> LockHeldAsync(string host, TimeSpan timeout) =>
        (await Eventually.ValueAsync(LockAsync, l => l?.Holder.StartsWith($"{host}/", StringComparison.Ordinal) == true, $"host {host}'s agent holding the controller lock", timeout))!.Value;

    /// <summary>When the agent's reconcile loop last finished a pass (its /healthz), null before its first.</summary>
    public async Task<DateTimeOffset?> LastPassAsync(AgentProcess agent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.Admin, "/healthz"));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _http.SendAsync(request);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("loops").EnumerateArray()
            .Where(l => l.GetProperty("name").GetString() == "reconcile")
            .Select(l => l.GetProperty("lastSuccess") is { ValueKind: JsonValueKind.String } at ? at.GetDateTimeOffset() : (DateTimeOffset?)null)
            .SingleOrDefault();
    }

    /// <summary>
    /// How long until <paramref name="condition"/> holds, polled every 50 ms, on <paramref name="since"/> (a clock started
    /// at the event measured from) or from now; fails after <paramref name="limit"/>.
    /// </summary>
    public static async Task<TimeSpan> TimeUntilAsync(Func<Task<bool>> condition, string what, TimeSpan limit, Stopwatch? since = null)
    {
        var clock = since ?? Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // The agent or Consul is busy: ask again.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s");
    }

    /// <summary>Service instances passing their checks in the catalog, optionally of one zone.</summary>
    public async Task<int> PassingAsync(string? zone = null)
    {
        var entries = await _http.GetFromJsonAsync<JsonElement>(new Uri(Server.Address, $"/v1/health/service/{ServiceName}?passing=true"));
        return entries.EnumerateArray().Count(e => zone is null || (e.GetProperty("Service").GetProperty("Meta").TryGetProperty("zone", out var z) && z.GetString() == zone));
    }

    /// <summary>Applies the service with other replica lines through an agent's admin API.</summary>
    public async Task ApplyAsync(AgentProcess agent, string scaling)
    {
        using var admin = agent.AdminClient();
        using var body = new StringContent(Spec(ServiceName, scaling), Encoding.UTF8, "text/yaml");
        (await admin.PostAsync("/v1/apply", body)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        Client.Dispose();
        Server.Dispose();
        _http.Dispose();
    }

    public static string Spec(string service, string scaling) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        {scaling.ReplaceLineEndings("\n").Trim()}
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private AgentProcess Agent(string host, string zone, string engine, ConsulTestAgent consul, string scaling) =>
        new(
            new Dictionary<string, string> { ["svc.yaml"] = Spec(ServiceName, scaling) },
            consul.Address,
            $"""
            controller: cluster
            balancer: {"{"}zones: spread{"}"}
            """,
            cluster: Cluster,
            host: host,
            zone: zone,
            docker: engine);
}
