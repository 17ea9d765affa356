namespace Bollard.Balancer.AccessLogs;

/// <summary>What one request's line says, captured when its response ended (the request's objects are reused after).</summary>
/// <param name="Time">When the response ended.</param>
/// <param name="Client">The client's address.</param>
/// <param name="Method">The request method.</param>
/// <param name="Target">Path and query, as received.</param>
/// <param name="Protocol">HTTP/1.1, HTTP/2, ...</param>
/// <param name="Host">The Host header (or :authority).</param>
/// <param name="Status">The status code sent (500 when the proxy failed before a response started).</param>
/// <param name="Bytes">Response body bytes sent to the client.</param>
/// <param name="Duration">From the request reaching the balancer to its response's end.</param>
/// <param name="UpstreamDuration">The last attempt's time at its replica (sending, waiting, copying the answer); null: no replica was tried.</param>
/// <param name="Service">The routed service.</param>
/// <param name="Replica">The replica (instance id) that answered last; null: none.</param>
/// <param name="Version">Its version; null: none.</param>
/// <param name="Zone">Its zone; null: none.</param>
/// <param name="Retries">Attempts after the first.</param>
/// <param name="TraceId">The W3C trace id of the client's traceparent header, else the server's request id.</param>
/// <param name="Referer">The Referer header, for the combined format.</param>
/// <param name="UserAgent">The User-Agent header, for the combined format.</param>
internal sealed record AccessLogEntry(
    DateTimeOffset Time,
    string Client,
    string Method,
    string Target,
    string Protocol,
    string Host,
    int Status,
    long Bytes,
    TimeSpan Duration,
    TimeSpan? UpstreamDuration,
    string Service,
    string? Replica,
    string? Version,
    string? Zone,
    int Retries,
    string TraceId,
    string? Referer,
    string? UserAgent);
