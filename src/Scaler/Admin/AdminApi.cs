using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The admin HTTP API under /v1 (JSON; errors as problem details) and its OpenAPI document at /v1/openapi.json. Map it
/// only on the admin listener, with authorization (see <see cref="AdminApplicationBuilderExtensions.UseAdminApi"/>).
/// </summary>
public static partial class AdminApi
{
    /// <summary>
    /// Maps the API into one group that requires the admin token (<see cref="AdminAuthentication.Policy"/>), so that
    /// every endpoint added to it, now or later, is protected unless it is marked public where it is declared.
    /// </summary>
    /// <returns>The protected root group, for the host's own admin endpoints.</returns>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var root = endpoints.MapGroup("").RequireAuthorization(AdminAuthentication.Policy);
        root.MapOpenApi("/v1/openapi.json");
        var v1 = root.MapGroup("/v1").AddEndpointFilter(TranslateErrorsAsync);
        MapSpecs(v1);
        MapServices(v1);
        MapRollouts(v1);
        return root;
    }

    /// <summary>
    /// Every request body of the API is bounded (the server's own limit is 30 MB): one announced larger is refused before
    /// it is read, and the server stops one that grows past the limit while it is read (chunked) with a 413 as well.
    /// </summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? BoundBody(HttpContext context)
    {
        var max = MaxBytes(context);
        if (context.Request.ContentLength > max)
        {
            return AdminProblems.TooLarge($"the request body is {context.Request.ContentLength} bytes, larger than the {max} the admin API takes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        return null;
    }

    private static int MaxBytes(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.MaxRequestBytes;

    private static async ValueTask<object?> TranslateErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (BoundBody(context.HttpContext) is { } tooLarge)
        {
            return tooLarge;
        }

        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return AdminProblems.TooLarge($"the request body is larger than {MaxBytes(context.HttpContext)} bytes, the most the admin API takes");
        }
        catch (SpecValidationException e)
        {
            return AdminProblems.Invalid(e);
        }
        catch (ControlPlaneException e)
        {
            return AdminProblems.From(e);
        }
        catch (StateConflictException e)
        {
            return AdminProblems.From(new ControlPlaneException(ControlPlaneError.Conflict, $"{e.Message}; try again", e));
        }
        catch (StateStoreUnavailableException e)
        {
            return AdminProblems.From(new ControlPlaneException(ControlPlaneError.Unavailable, $"the state store cannot be reached: {e.Message}", e));
        }
    }
}
