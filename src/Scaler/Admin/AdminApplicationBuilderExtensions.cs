using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bollard.Scaler.Admin;

public static class AdminApplicationBuilderExtensions
{
    /// <summary>
    /// The admin API on a branch of the pipeline (the admin listener's): bearer authentication for everything under
    /// /v1, then the API's own routing (a branch has its own routing world, so the balancer's routes are not seen
    /// here and the API is not reachable from the balancer's listener).
    /// </summary>
    public static IApplicationBuilder UseAdminApi(this IApplicationBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.UseWhen(c => c.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal), v1 => v1.UseMiddleware<BearerTokenMiddleware>());

        // The host's routing ran before the branch and may have matched a balancer route (a catch-all prefix);
        // forget it, or this branch's routing would skip matching and run the balancer's endpoint.
        admin.Use((context, next) =>
        {
            context.SetEndpoint(null);
            context.Request.RouteValues.Clear();
            return next(context);
        });
        admin.UseRouting();
        admin.UseEndpoints(endpoints => endpoints.MapAdminApi());
        return admin;
    }
}
