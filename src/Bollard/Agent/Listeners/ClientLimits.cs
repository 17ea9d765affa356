using Bollard.Scaler.Specs;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bollard.Agent.Listeners;

/// <summary>
/// What one client may ask of the listeners (<c>limits:</c> in agent.yaml), enforced by Kestrel before a request reaches
/// routing: headers too large get 431, a body too large 413, and a client that has not sent its headers within the
/// timeout is disconnected (slowloris). Defaults are Kestrel's.
/// </summary>
/// <param name="MaxRequestHeadersBytes">All request headers together, at most.</param>
/// <param name="MaxRequestBodyBytes">A request body, at most.</param>
/// <param name="RequestHeadersTimeout">How long a client may take to send its request headers.</param>
public sealed record ClientLimits(int MaxRequestHeadersBytes = 32 * 1024, long MaxRequestBodyBytes = 30_000_000, TimeSpan RequestHeadersTimeout = default)
{
    public static readonly TimeSpan DefaultRequestHeadersTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveRequestHeadersTimeout => RequestHeadersTimeout == default ? DefaultRequestHeadersTimeout : RequestHeadersTimeout;

    public void ApplyTo(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
        limits.MaxRequestBodySize = MaxRequestBodyBytes;
        limits.RequestHeadersTimeout = EffectiveRequestHeadersTimeout;
    }

    /// <summary>Reads <c>limits: {maxRequestHeadersBytes, maxRequestBodyBytes, requestHeadersTimeout}</c>; defaults where absent.</summary>
    public static ClientLimits Read(YamlMappingReader? yaml)
    {
        var defaults = new ClientLimits();
        if (yaml is null)
        {
            return defaults;
        }

        var headers = yaml.WholeNumber("maxRequestHeadersBytes", 1024, 16 * 1024 * 1024) ?? defaults.MaxRequestHeadersBytes;
        var body = yaml.WholeNumber("maxRequestBodyBytes", 1, int.MaxValue) ?? defaults.MaxRequestBodyBytes;
        var timeout = yaml.Duration("requestHeadersTimeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) ?? DefaultRequestHeadersTimeout;
        yaml.RejectUnknownFields();
        return new ClientLimits(headers, body, timeout);
    }
}
