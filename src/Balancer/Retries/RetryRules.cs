using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Retries;

/// <summary>Why a request is sent again; also the metric label.</summary>
internal enum RetryReason
{
    None,

    /// <summary>The connection to the replica was never made: nothing was sent, any method is safe.</summary>
    Connect,

    /// <summary>The connection broke before a response: the replica may have seen the request.</summary>
    Connection,

    Timeout,

    /// <summary>The replica answered 503.</summary>
    Unavailable,
}

/// <summary>
/// The pure rules of which failed attempts may be sent again. Never after the response started (the client has
/// bytes already) or after the client went away. Any method when the replica was never reached; idempotent
/// methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) also after a lost connection, a timeout or a 503, provided the
/// body can be sent again (none, or buffered).
/// </summary>
internal static class RetryRules
{
    public static RetryReason Decide(
        string method,
        bool bodyReplayable,
        ForwarderError error,
        Exception? exception,
        int statusCode,
        bool responseStarted,
        bool clientAborted)
    {
        if (responseStarted || clientAborted)
        {
            return RetryReason.None;
        }

        if (error is ForwarderError.Request or ForwarderError.RequestTimedOut && IsConnectFailure(exception))
        {
            return RetryReason.Connect;
        }

        if (!IsIdempotent(method) || !bodyReplayable)
        {
            return RetryReason.None;
        }

        return error switch
        {
            ForwarderError.Request => RetryReason.Connection,
            // The body broke off before its first byte went out (the response has not started): as a lost connection.
            ForwarderError.ResponseBodyDestination => RetryReason.Connection,
            ForwarderError.RequestTimedOut => RetryReason.Timeout,
            ForwarderError.None when statusCode == StatusCodes.Status503ServiceUnavailable => RetryReason.Unavailable,
            _ => RetryReason.None,
        };
    }

    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsTrace(method);

    /// <summary>
    /// True when the failure happened while connecting: refused, unreachable, or the connect timeout. The
    /// request content is only sent once connected, so nothing reached the replica.
    /// </summary>
    public static bool IsConnectFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                    return true;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return true;
                // SocketsHttpHandler reports its ConnectTimeout as a cancellation caused by a TimeoutException.
                case OperationCanceledException { InnerException: TimeoutException }:
                    return true;
            }
        }

        return false;
    }

    public static string LabelOf(RetryReason reason) => reason switch
    {
        RetryReason.Connect => "connect",
        RetryReason.Connection => "connection",
        RetryReason.Timeout => "timeout",
        RetryReason.Unavailable => "unavailable",
        _ => "none",
    };
}
