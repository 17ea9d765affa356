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
        // One send at a time: the echo and the close on shutdown may want to send together. A pending receive is never
        // cancelled, since cancelling a WebSocket operation aborts the socket (no close handshake then). Not disposed: a
        // close on shutdown may still be sending when this returns (a SemaphoreSlim without a wait handle holds nothing).
        var sending = new SemaphoreSlim(1, 1);
        using var stopping = lifetime.ApplicationStopping.Register(() => _ = SendCloseAsync(socket, sending, WebSocketCloseStatus.EndpointUnavailable, "replica stopping"));
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await SendCloseAsync(socket, sending, WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }

                await sending.WaitAsync(context.RequestAborted);
                try
                {
                    if (socket.State == WebSocketState.Open)
                    {
                        await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
                    }
                }
                finally
                {
                    sending.Release();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away without a close handshake; nothing to answer.
        }
    }

    /// <summary>Sends the close frame once (the first of the client's close and the shutdown wins).</summary>
    private static async Task SendCloseAsync(WebSocket socket, SemaphoreSlim sending, WebSocketCloseStatus status, string reason)
    {
        await sending.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is gone already.
        }
        finally
        {
            sending.Release();
        }
    }
}
