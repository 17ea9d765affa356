using System.Globalization;

namespace Bollard.SampleApp.Streams;

/// <summary>
/// A server-sent event stream at <c>/sample/sse?count=N&amp;intervalMs=M</c>: N events ("data: replica i"), M ms apart,
/// each flushed at once, so that a client sees the first one long before the last (a proxy that buffers shows here).
/// </summary>
internal static class ServerSentEvents
{
    public const string Path = "/sample/sse";

    public static async Task HandleAsync(HttpContext context, WorkloadSettings settings, int? count, int? intervalMs)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(intervalMs ?? 1000, 0, 600_000));
        var events = Math.Clamp(count ?? 3, 1, 10_000);
        for (var i = 1; i <= events; i++)
        {
            if (i > 1)
            {
                await Task.Delay(interval, context.RequestAborted);
            }

            await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {i}\ndata: {settings.Replica} {i}\n\n"), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
