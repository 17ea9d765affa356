using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The admin HTTP API under /v1 (JSON; errors as problem details) and its OpenAPI document at /v1/openapi.json. Map it
/// only on the admin listener, behind <see cref="BearerTokenMiddleware"/> (see <see cref="AdminApplicationBuilderExtensions.UseAdminApi"/>).
/// </summary>
public static partial class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi("/v1/openapi.json");
        var v1 = endpoints.MapGroup("/v1").AddEndpointFilter(TranslateErrorsAsync);
        MapSpecs(v1);
        MapServices(v1);
        MapRollouts(v1);
        return endpoints;
    }

    private static async ValueTask<object?> TranslateErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (SpecValidationException e)
        {
            return AdminProblems.Invalid(e);
        }
        catch (ControlPlaneException e)
        {
            return AdminProblems.From(e);
        }
        catch (StateStoreUnavailableException e)
        {
            return AdminProblems.From(new ControlPlaneException(ControlPlaneError.Unavailable, $"the state store cannot be reached: {e.Message}", e));
        }
    }
}
