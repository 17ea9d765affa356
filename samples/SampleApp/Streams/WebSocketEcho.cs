using System.Net.WebSockets;

namespace Bollard.SampleApp.Streams;

/// <summary>
/// A WebSocket echo at <c>/sample/ws</c>: every message comes back as it was sent. When the replica is asked to stop
/// (SIGTERM), each open socket is closed cleanly with 1001 (going away), as a well-behaved server does, so that a
/// client behind the balancer sees a close handshake rather than a broken connection.
/// </summary>
internal static class WebSocketEcho
{
    public const string Path = "/sample/ws";

    public static async Task HandleAsync(HttpContext context, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("a WebSocket upgrade is expected here\n", context.RequestAborted);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, context.RequestAborted);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), stopping.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "replica stopping", closing.Token);
        }
    }
}
