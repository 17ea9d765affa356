using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.Scaler.Admin;

public static class AdminApplicationBuilderExtensions
{
    /// <summary>
    /// The admin API on a branch of the pipeline (the admin listener's): its own routing (a branch has its own routing
    /// world, so the balancer's routes are not seen here and the API is not reachable from the balancer's listener),
    /// then authorization decided on each matched endpoint: every endpoint mapped here needs the admin token unless it
    /// is declared public where it is mapped (<c>AllowAnonymous</c>), however its path is spelled.
    /// </summary>
    /// <param name="admin">The admin listener's branch.</param>
    /// <param name="mapMore">Maps the host's own admin endpoints (e.g. /healthz) into the same protected group.</param>
    public static IApplicationBuilder UseAdminApi(this IApplicationBuilder admin, Action<RouteGroupBuilder>? mapMore = null)
    {
        ArgumentNullException.ThrowIfNull(admin);

        // The host's routing ran before the branch and may have matched a balancer route (a catch-all prefix);
        // forget it, or this branch's routing would skip matching and run the balancer's endpoint.
        admin.Use((context, next) =>
        {
            context.SetEndpoint(null);
            context.Request.RouteValues.Clear();
            return next(context);
        });
        admin.UseRouting();
        admin.UseAuthorization();
        admin.UseEndpoints(endpoints =>
        {
            var root = endpoints.MapAdminApi();
            mapMore?.Invoke(root);
            endpoints.ServiceProvider.GetRequiredService<AdminEndpointCatalog>().Publish(endpoints.DataSources);
        });
        return admin;
    }
}
