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
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context) && RevisionOf(context.OldMetadata) == RevisionOf(context.NewMetadata);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        Apply(options.CurrentValue, handler);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        Wrap(options.CurrentValue.Retries, base.WrapHandler(context, handler));

    private static string? RevisionOf(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.GetValueOrDefault(Routing.BalancerMetadata.SettingsRevision);

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
