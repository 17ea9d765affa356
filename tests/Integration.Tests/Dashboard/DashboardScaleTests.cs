using System.Text;
using System.Text.Json;
using Bollard.Dashboard;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Microsoft.Playwright;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>
/// The page at 100 services x 10 replicas, in real Chromium: the agent's own files, fed the stream a cluster that size
/// would send (the agent's own records, serialized as the agent does), with every render timed by the page itself.
/// </summary>
[Collection(RenderBudget.Name)]
public sealed class DashboardScaleTests
{
    /// <summary>The longest a render may take: the first one of the whole state, and each one after an update.</summary>
    private const double FirstRenderBudgetMs = 300;
    private const double MedianUpdateBudgetMs = 50;
    private const double UpdateBudgetMs = 150;
    private const double SlowestUpdateBudgetMs = 500;
    private const string Origin = "http://dashboard.test";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_hundred_services_of_ten_replicas_render_and_update_within_budget_on_a_laptop_and_a_phone()
    {
        var snapshot = EventStream.Frame(1, "snapshot", JsonSerializer.Serialize(State(), Json));
        foreach (var (width, height, name) in new[] { (1366, 768, "scale-100x10-laptop"), (390, 844, "scale-100x10-phone") })
        {
            await using var browser = await DashboardBrowser.LaunchAsync(width, height);
            var page = browser.Page;
            var streams = 0;
            await page.RouteAsync($"{Origin}/**", route => ServeAsync(route, !route.Request.Url.EndsWith("/v1/events", StringComparison.Ordinal) || Interlocked.Increment(ref streams) == 1 ? snapshot : null));
            await page.GotoAsync($"{Origin}/ui/");
            await browser.SignInAsync("any-token-the-stream-is-served-by-the-test");
            await browser.UntilAsync("document.querySelectorAll('#services tbody tr').length === 100 && document.querySelectorAll('li.replica').length === 1000", "100 services and 1000 replicas on the page");
            var first = await page.EvaluateAsync<double>("window.bollardRender.maxMs");
            Assert.True(first < FirstRenderBudgetMs, $"the first render took {first:0} ms (budget {FirstRenderBudgetMs} ms)");

            // Thirty seconds of updates, one frame each: every service's traffic and a replica changing state.
            await page.EvaluateAsync("window.bollardRender.maxMs = 0; window.bollardRender.recentMs = []");
            for (var second = 1; second <= 30; second++)
            {
                var frames = EventStream.Frame(1 + (2 * second), "traffic", JsonSerializer.Serialize(Traffic(second), Json)).TrimEnd('\n')
                    + "|" + EventStream.Frame(2 + (2 * second), "replica", JsonSerializer.Serialize(Replica(second % 1000, second % 2 == 0 ? "draining" : "ready"), Json)).TrimEnd('\n');
                await page.EvaluateAsync(
                    "async frames => { const before = window.bollardRender.count; for (const f of frames.split('|')) handleFrame(f); await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); return window.bollardRender.count > before; }",
                    frames);
            }

            var updates = await page.EvaluateAsync<JsonElement>("window.bollardRender");
            Assert.True(updates.GetProperty("count").GetInt32() >= 30, $"every update rendered ({updates})");
            // Half the updates within 50 ms, nine in ten within 150 ms; a collection in the browser (or a busy shared
            // machine) may stretch one, never past half a second.
            var times = updates.GetProperty("recentMs").EnumerateArray().Select(t => t.GetDouble()).Order().ToList();
            var shown = string.Join(", ", times.Select(t => t.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(times[(times.Count / 2) - 1] < MedianUpdateBudgetMs, $"updates took {shown} ms: the median over {MedianUpdateBudgetMs} ms");
            Assert.True(times[(int)(times.Count * 0.9) - 1] < UpdateBudgetMs, $"updates took {shown} ms: more than one in ten over {UpdateBudgetMs} ms");
            Assert.True(times[^1] < SlowestUpdateBudgetMs, $"updates took {shown} ms: the slowest over {SlowestUpdateBudgetMs} ms");

            // Readable on this screen: nothing wider than the window but the tables, which scroll inside themselves.
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page is no wider than {width} px");
            await browser.ScreenshotAsync(name);
        }
    }

    /// <summary>The agent's files, and the stream: the state once (the page's later reconnects are refused, so that
    /// only the updates the test sends are rendered while it measures).</summary>
    private static async Task ServeAsync(IRoute route, string? snapshot)
    {
        var path = new Uri(route.Request.Url).AbsolutePath;
        if (path == "/v1/events" && snapshot is null)
        {
            await route.FulfillAsync(new RouteFulfillOptions { Status = 503 });
            return;
        }

        if (path == "/v1/events")
        {
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = "retry: 2000\n\n" + snapshot });
            return;
        }

        var name = path == "/ui/" ? "index.html" : path["/ui/".Length..];
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(DashboardAssets.Prefix + name);
        if (stream is null)
        {
            await route.FulfillAsync(new RouteFulfillOptions { Status = 404 });
            return;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var type = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : name.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/html";
        await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = type, Body = await reader.ReadToEndAsync() });
    }

    private static DashboardState State()
    {
        var services = Enumerable.Range(0, 100).Select(i => new ServiceStatus(
            ServiceName(i), "v2", "app:2", "10", 10,
            [new ReplicaGroup("zone-a", "v1", 4), new ReplicaGroup("zone-b", "v1", 3), new ReplicaGroup("zone-c", "v2", 3)],
            [new VersionWeight("v1", 80), new VersionWeight("v2", 20)], "healthy", 0.999999, null, null)).ToList();
        var replicas = Enumerable.Range(0, 1000).Select(i => Replica(i, "ready")).ToList();
        var hosts = Enumerable.Range(0, 6).Select(h => new HostView($"host-{h}", Zone(h), true, null, 1000 / 6)).ToList();
        var decisions = Enumerable.Range(0, 200).Select(i => new Decision(Now.AddSeconds(-i), ServiceName(i % 100), "create", $"c{i:x10}", "0 of 10 replicas of v2 on host-1 (zone-a)", "ok")).ToList();
        var traffic = services.ToDictionary(s => s.Name, s => (IReadOnlyList<TrafficPoint>)[.. Enumerable.Range(0, 60).Select(p => Point(p))]);
        return new DashboardState(Now, services, replicas, hosts, decisions, traffic);
    }

    private static Dictionary<string, TrafficPoint> Traffic(int second) =>
        Enumerable.Range(0, 100).ToDictionary(ServiceName, _ => Point(60 + second));

    private static TrafficPoint Point(int second) =>
        new((Now.ToUnixTimeSeconds() - 60 + second) * 1000, 100 + (second % 7), 20 + (second % 5), 0.001 * (second % 3), 3, [new("v1", 80, 20, 0, 2), new("v2", 20, 22, 0, 1)]);

    private static ReplicaView Replica(int i, string state) =>
        new($"{i:x12}", ServiceName(i / 10), i % 10 < 8 ? "v1" : "v2", $"host-{i % 6}", Zone(i % 6), state, Now.AddMinutes(-i));

    private static string ServiceName(int i) => $"service-{i:000}";

    private static string Zone(int host) => $"zone-{(char)('a' + (host % 3))}";
}

/// <summary>Tests that measure time in the browser run alone: other tests' agents and browsers on the same cores would be measured too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RenderBudget
{
    public const string Name = "render budget";
}
