using System.Net;
using Bollard.IntegrationTests.Agent;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>One real agent (real Docker, the embedded catalog) with one replica, watched through its event stream.</summary>
public sealed class EventStreamAgent : IAsyncLifetime
{
    public string Service { get; } = TestEnvironment.UniqueName("events");

    internal AgentProcess Agent { get; private set; } = null!;

    public string Token => File.ReadAllText(Agent.TokenFile).Trim();

    public async Task InitializeAsync()
    {
        Agent = new AgentProcess(new Dictionary<string, string>
        {
            ["web.yaml"] = $"""
                name: {Service}
                image: {TestEnvironment.SampleImage}:v1
                port: 8080
                replicas: 1
                health: {"{"}interval: 500ms{"}"}
                route: {"{"}pathPrefix: /{"}"}
                drainTimeout: 1s
                stopGracePeriod: 2s
                """,
        });
        await Agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await Agent.AskAsync()).StartsWith("error", StringComparison.Ordinal), "the replica serving");
    }

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}

/// <summary>
/// <c>GET /v1/events</c> of a real agent: it needs the token; a page gets the whole state, then every change in id order;
/// one reconnecting with <c>Last-Event-ID</c> gets only what it missed; the number of pages is bounded.
/// </summary>
public sealed class EventStreamTests(EventStreamAgent fixture) : IClassFixture<EventStreamAgent>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_stream_needs_the_token()
    {
        foreach (var token in new[] { null, "not-the-token-0123456789abcdef", fixture.Token[..^1] })
        {
            await using var stream = await EventStreamClient.OpenAsync(fixture.Agent.Admin, token);
            Assert.Equal(HttpStatusCode.Unauthorized, stream.Status);
            Assert.NotEqual("text/event-stream", stream.ContentType);
            Assert.DoesNotContain(fixture.Service, await stream.BodyAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_page_gets_the_whole_state_then_every_change_in_order()
    {
        await using var stream = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.Equal("text/event-stream", stream.ContentType);

        var snapshot = await stream.NextAsync();
        Assert.Equal("snapshot", snapshot.Type);
        Assert.Contains(snapshot.Json.GetProperty("services").EnumerateArray(), s => s.GetProperty("name").GetString() == fixture.Service);
        await stream.UntilAsync(_ => ReadyReplica(stream) is not null, "the replica shown ready", Deadline);
        var ready = ReadyReplica(stream)!;

        // A change: the replica is killed; it leaves and its replacement arrives, as events in id order. The three may
        // come in any order (a replacement can be ready before the killed one is removed), so each is looked for among
        // every event since the kill.
        var sinceKill = stream.Seen.Count;
        await fixture.Agent.Docker.Containers.KillContainerAsync(ContainerId(await fixture.Agent.RunningContainersAsync(), ready), new ContainerKillParameters());
        await SeenSinceOrUntilAsync(stream, sinceKill, e => e.Type == "replica-removed" && e.Json.GetProperty("id").GetString() == ready, "the killed replica leaving");
        await SeenSinceOrUntilAsync(stream, sinceKill, e => e.Type == "replica" && e.Json.GetProperty("id").GetString() != ready && e.Json.GetProperty("state").GetString() == "ready", "its replacement ready");
        await SeenSinceOrUntilAsync(stream, sinceKill, e => e.Type == "decision", "a decision about it");

        // The snapshot's id is that of the last event it includes; every event after it follows by one.
        var seen = stream.Seen;
        Assert.Equal("snapshot", seen[0].Type);
        Assert.Equal(Enumerable.Range(1, seen.Count - 1).Select(i => seen[0].Id + i), seen.Skip(1).Select(e => e.Id));
    }

    [Fact]
    public async Task A_page_reconnecting_with_the_last_event_id_gets_only_what_it_missed()
    {
        long last;
        await using (var first = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token))
        {
            Assert.Equal("snapshot", (await first.NextAsync()).Type);
            await first.NextAsync();
            last = (await first.NextAsync()).Id!.Value;
        }

        // Events went on meanwhile (one a second at least): the page gets them, from the one after its last, no state.
        await using (var again = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token, last.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            var resumed = await again.NextAsync();
            Assert.NotEqual("snapshot", resumed.Type);
            Assert.Equal(last + 1, resumed.Id);
            Assert.Equal(last + 2, (await again.NextAsync()).Id);
        }

        // An id this agent never gave (an earlier run's, or garbage): the whole state again.
        foreach (var foreign in new[] { "1", (last + 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture), "not-a-number" })
        {
            await using var stale = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token, foreign);
            Assert.Equal("snapshot", (await stale.NextAsync()).Type);
        }
    }

    [Fact]
    public async Task The_number_of_pages_watching_is_bounded()
    {
        var open = new List<EventStreamClient>();
        try
        {
            for (var i = 0; i < 32; i++)
            {
                var stream = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token);
                open.Add(stream);
                Assert.Equal(HttpStatusCode.OK, stream.Status);
            }

            await using var refused = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.Contains("at most 32", await refused.BodyAsync(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }

        // Pages that went away free their places.
        await Eventually.TrueAsync(
            async () =>
            {
                await using var stream = await EventStreamClient.OpenAsync(fixture.Agent.Admin, fixture.Token);
                return stream.Status == HttpStatusCode.OK;
            },
            "a new page accepted once the others left");
    }

    /// <summary>The id of the test service's replica shown ready by the latest state the stream told of.</summary>
    private string? ReadyReplica(EventStreamClient stream)
    {
        var replicas = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in stream.Seen)
        {
            if (e.Type == "snapshot")
            {
                replicas.Clear();
                foreach (var r in e.Json.GetProperty("replicas").EnumerateArray().Where(r => r.GetProperty("service").GetString() == fixture.Service))
                {
                    replicas[r.GetProperty("id").GetString()!] = r.GetProperty("state").GetString()!;
                }
            }
            else if (e.Type == "replica" && e.Json.GetProperty("service").GetString() == fixture.Service)
            {
                replicas[e.Json.GetProperty("id").GetString()!] = e.Json.GetProperty("state").GetString()!;
            }
            else if (e.Type == "replica-removed")
            {
                replicas.Remove(e.Json.GetProperty("id").GetString()!);
            }
        }

        return replicas.FirstOrDefault(r => r.Value == "ready").Key;
    }

    private static string ContainerId(List<ContainerListResponse> containers, string shortId) =>
        containers.Single(c => c.ID.StartsWith(shortId, StringComparison.Ordinal)).ID;

    private static async Task SeenSinceOrUntilAsync(EventStreamClient stream, int since, Func<StreamEvent, bool> match, string what)
    {
        if (!stream.Seen.Skip(since).Any(match))
        {
            await stream.UntilAsync(match, what, Deadline);
        }
    }
}
