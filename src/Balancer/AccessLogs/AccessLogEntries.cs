using Bollard.Balancer.Retries;
using Bollard.Balancer.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.AccessLogs;

/// <summary>Reads a finished request into its <see cref="AccessLogEntry"/> (before the server reuses its objects).</summary>
internal static class AccessLogEntries
{
    public static AccessLogEntry Of(
        HttpContext context, IReverseProxyFeature proxy, string service, long started, long attemptStarted, long bytes, bool completed, TimeProvider time)
    {
        var finished = time.GetTimestamp();
        var request = context.Request;
        var destination = proxy.ProxiedDestination?.Model.Config;
        string? Metadata(string key) => destination?.Metadata?.GetValueOrDefault(key);
        var status = completed || context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : $"{request.PathBase}{request.Path}{request.QueryString}";
        return new AccessLogEntry(
            time.GetUtcNow(),
            context.Connection.RemoteIpAddress?.ToString() ?? "-",
            request.Method,
            target,
            request.Protocol,
            request.Host.Value ?? "",
            status,
            bytes,
            time.GetElapsedTime(started, finished),
            attemptStarted == 0 ? null : time.GetElapsedTime(attemptStarted, finished),
            service,
            proxy.ProxiedDestination?.DestinationId,
            Metadata(BalancerMetadata.Version),
            Metadata(BalancerMetadata.Zone),
            context.Features.Get<RetryState>()?.Retries ?? 0,
            AccessLogLine.TraceIdOf(request.Headers["traceparent"]) ?? context.TraceIdentifier,
            NullIfEmpty(request.Headers[HeaderNames.Referer]),
            NullIfEmpty(request.Headers[HeaderNames.UserAgent]));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
