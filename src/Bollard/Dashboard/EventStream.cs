using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Bollard.Dashboard;

/// <summary>
/// <c>GET /v1/events</c>: the dashboard's server-sent events. A page without <c>Last-Event-ID</c> (or with one the
/// ring no longer holds, or from an earlier run of the agent) first gets the whole state as a <c>snapshot</c> event,
/// then every event after it, in id order; a page reconnecting with the id of the last event it got gets only the
/// events after it. Bounded: a page holds a position in the shared ring, never a queue; at most
/// <see cref="MaxStreams"/> pages at once; Kestrel's own output limits end a page that stops reading.
/// </summary>
internal static class EventStream
{
    public const int MaxStreams = 32;
    public const string LastEventIdHeader = "Last-Event-ID";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan FreshState = DashboardFeed.Tick * 2;
    private static readonly TimeSpan FirstStateWait = TimeSpan.FromSeconds(10);

    public static async Task ServeAsync(HttpContext context, DashboardFeed feed, EventRing ring, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time)
    {
        var aborted = context.RequestAborted;
        using var watch = feed.Watch();
        if (feed.Watchers > MaxStreams)
        {
            context.Response.Headers.RetryAfter = "5";
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many event streams", detail: $"at most {MaxStreams} pages may watch the events of one agent at once").ExecuteAsync(context);
            return;
        }

        var pending = new List<DashboardEvent>();
        var next = ring.NextPublish;
        var resume = LastEventId(context.Request);
        var needState = resume is not { } id || !ring.ReadAfter(id, pending);
        if (needState && !IsFresh(ring.Current.State, time))
        {
            // Nobody watched until now: the feed reads the state at its next tick.
            try
            {
                await next.WaitAsync(FirstStateWait, time, aborted);
            }
            catch (TimeoutException)
            {
            }
        }

        if (needState && ring.Current.State is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No state yet", detail: "the dashboard's state could not be read yet; try again").ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var options = json.Value.SerializerOptions;
        var body = context.Response.Body;
        await WriteAsync(body, "retry: 2000\n\n", aborted);
        long last = resume ?? 0;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                if (needState)
                {
                    var (state, stateId) = ring.Current;
                    await WriteAsync(body, Frame(stateId, "snapshot", JsonSerializer.Serialize(state, options)), aborted);
                    (last, needState) = (stateId, false);
                    pending.Clear();
                    next = ring.NextPublish;
                    needState = !ring.ReadAfter(last, pending);
                    continue;
                }

                foreach (var e in pending)
                {
                    await WriteAsync(body, Frame(e.Id, e.Type, e.Data), aborted);
                    last = e.Id;
                }

                await body.FlushAsync(aborted);
                using (var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(aborted))
                {
                    var beat = Task.Delay(Heartbeat, time, heartbeat.Token);
                    if (await Task.WhenAny(next, beat) == beat)
                    {
                        await beat;
                        await WriteAsync(body, ": keep-alive\n\n", aborted);
                        await body.FlushAsync(aborted);
                    }

                    await heartbeat.CancelAsync();
                }

                pending.Clear();
                next = ring.NextPublish;
                needState = !ring.ReadAfter(last, pending);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    /// <summary>One event in the text/event-stream format (the data is one line of JSON).</summary>
    internal static string Frame(long id, string type, string data) =>
        string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {type}\ndata: {data}\n\n");

    private static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers[LastEventIdHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static bool IsFresh(DashboardState? state, TimeProvider time) => state is not null && time.GetUtcNow() - state.At <= FreshState;

    private static Task WriteAsync(Stream body, string text, CancellationToken cancellationToken) =>
        body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();
}
