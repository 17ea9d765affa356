using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.Balancer.RateLimiting;

public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>ASP.NET Core's rate limiter with the routes' policy: 429 with Retry-After beyond a route's <c>rateLimit</c>.</summary>
    internal static IServiceCollection AddRouteRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<RateLimitKey, RouteRateLimitPolicy>(RouteRateLimitPolicy.Name);
        });

    /// <summary>
    /// Puts the rate limiter in the app's pipeline (after routing, before the balancer's endpoints). Only routes with a
    /// <c>rateLimit</c> are limited.
    /// </summary>
    public static IApplicationBuilder UseBalancerRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>
    /// The client's address behind <c>BalancerOptions.TrustedProxies</c> (see ClientAddress/), first, so that rate limits,
    /// access logs and the forwarded headers see the real client; nothing at all when no proxy is trusted.
    /// </summary>
    public static IApplicationBuilder UseBalancerClientAddress(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<BalancerOptions>>().Value.TrustedProxies.Count > 0
            ? app.UseMiddleware<ClientAddress.ClientAddressMiddleware>()
            : app;
    }
}
