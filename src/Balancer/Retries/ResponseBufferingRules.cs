using System.Net;
using System.Net.Http;

namespace Bollard.Balancer.Retries;

/// <summary>How much of a replica's response body is read before YARP gets the response.</summary>
internal enum ResponseBuffering
{
    /// <summary>Streamed as it comes: no body, too large, a stream by nature, or a request that cannot be retried.</summary>
    None,

    /// <summary>The declared length fits the limit: read it all.</summary>
    Whole,

    /// <summary>Length unknown (chunked): read up to the limit; the body is buffered if it ends by then, else streamed.</summary>
    UpToLimit,
}

/// <summary>
/// The pure rules of which responses are buffered so that a replica dying mid-body can still be retried. Only
/// responses to requests that the balancer could send again (idempotent methods with a body to read) qualify;
/// bodies that are streams by nature (events, gRPC, NDJSON, a protocol switch) are never held back, or their first
/// message would wait for the last.
/// </summary>
internal static class ResponseBufferingRules
{
    private static readonly string[] StreamingMediaTypes =
    [
        "text/event-stream",
        "application/grpc",
        "application/x-ndjson",
        "application/jsonl",
        "application/stream+json",
        "multipart/x-mixed-replace",
    ];

    /// <summary>Requests whose responses may be worth buffering (HEAD has no body to read).</summary>
    public static bool IsRetryableMethod(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete
        || method == HttpMethod.Options || method == HttpMethod.Trace;

    public static ResponseBuffering Decide(HttpStatusCode status, long? contentLength, string? contentType, int limit)
    {
        if (limit <= 0 || (int)status < 200 || status is HttpStatusCode.NoContent or HttpStatusCode.NotModified)
        {
            return ResponseBuffering.None;
        }

        if (contentLength is { } length)
        {
            return length > 0 && length <= limit ? ResponseBuffering.Whole : ResponseBuffering.None;
        }

        return IsStreamingMediaType(contentType) ? ResponseBuffering.None : ResponseBuffering.UpToLimit;
    }

    internal static bool IsStreamingMediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        foreach (var streaming in StreamingMediaTypes)
        {
            // Prefix match: parameters (";charset=...") and variants ("application/grpc+proto") count too.
            if (contentType.StartsWith(streaming, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
