using System.Net.Http;
using Bollard.Balancer.Retries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Forwarding;

/// <summary>
/// The HTTP client YARP uses to reach replicas, tuned for proxying to containers that come and go. A client is built
/// anew when the balancer's settings changed since it was (its cluster's settings revision moved): the old one keeps
/// serving the requests in flight on it (YARP never disposes it) and new requests take the new one.
/// </summary>
internal sealed class BalancerForwarderHttpClientFactory(
    IOptionsMonitor<BalancerOptions> options,
    ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    /// <summary>
    /// A cluster keeps its client only while the balancer's settings revision and its protocol (to or from gRPC) are
    /// the ones the client was built for.
    /// </summary>
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && RevisionOf(context.OldMetadata) == RevisionOf(context.NewMetadata)
        && IsStreaming(context.OldMetadata) == IsStreaming(context.NewMetadata);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        Apply(options.CurrentValue, handler);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        WrapFor(context.NewMetadata, options.CurrentValue.Retries, base.WrapHandler(context, handler));

    private static string? RevisionOf(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.GetValueOrDefault(Routing.BalancerMetadata.SettingsRevision);

    /// <summary>The handler chain of one cluster's client: gRPC clusters skip the read-ahead (see <see cref="IsStreaming"/>).</summary>
    internal static HttpMessageHandler WrapFor(IReadOnlyDictionary<string, string>? metadata, RetryOptions retries, HttpMessageHandler handler) =>
        IsStreaming(metadata) ? handler : Wrap(retries, handler);

    /// <summary>
    /// gRPC clusters: every call is a stream (even a unary one ends with trailers), so nothing of a response is read
    /// ahead; their client has no <see cref="ResponseBufferingHandler"/> at all, which costs their requests nothing.
    /// </summary>
    internal static bool IsStreaming(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(Routing.BalancerMetadata.Protocol, out var protocol) && protocol == "grpc";

    /// <summary>
    /// Puts <see cref="ResponseBufferingHandler"/> outermost, so it reads ahead the response exactly as YARP would
    /// get it; without retries there is nothing to gain from reading ahead.
    /// </summary>
    internal static HttpMessageHandler Wrap(RetryOptions retries, HttpMessageHandler handler) =>
        retries.MaxRetries > 0 && retries.MaxBufferedResponseBytes > 0
            ? new ResponseBufferingHandler(retries.MaxBufferedResponseBytes) { InnerHandler = handler }
            : handler;

    internal static void Apply(BalancerOptions settings, SocketsHttpHandler handler)
    {
        // YARP's factory already sets these; restated so this file alone says what the forwarder does: talk to
        // the replica directly, never keep cookies or follow redirects on the client's behalf.
        handler.UseProxy = false;
        handler.UseCookies = false;
        handler.AllowAutoRedirect = false;

        handler.ConnectTimeout = settings.ConnectTimeout;
        handler.PooledConnectionLifetime = settings.PooledConnectionLifetime;
        handler.PooledConnectionIdleTimeout = settings.PooledConnectionIdleTimeout;
    }
}
