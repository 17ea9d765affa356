using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

public static partial class AdminApi
{
    private static readonly string[] SpecContentTypes = ["text/yaml", "application/json"];

    private static void MapSpecs(RouteGroupBuilder v1)
    {
        v1.MapPost("/validate", async Task<Ok<ValidationResult>> (HttpRequest request, IControlPlane plane, IOptions<AdminOptions> options, CancellationToken ct) =>
                TypedResults.Ok(await plane.ValidateAsync(await SpecRequestReader.ReadAsync(request, options.Value.MaxRequestBytes, ct), ct)))
            .Accepts<SpecFilesRequest>(false, SpecContentTypes[0], SpecContentTypes[1..])
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Validate service specs (every problem with its file, line and field)");

        v1.MapPost("/plan", async Task<Ok<PlanResult>> (HttpRequest request, IControlPlane plane, IOptions<AdminOptions> options, bool? prune, CancellationToken ct) =>
                TypedResults.Ok(await plane.PlanAsync(await SpecRequestReader.ReadAsync(request, options.Value.MaxRequestBytes, ct), new ApplyOptions(prune ?? false), ct)))
            .Accepts<SpecFilesRequest>(false, SpecContentTypes[0], SpecContentTypes[1..])
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("What apply would change: services added, removed (with ?prune=true), kept or changed, containers, routes, weights, and the plan's id");

        v1.MapPost("/apply", async Task<Ok<ApplyResult>> (HttpContext context, IControlPlane plane, IOptions<AdminOptions> options, bool? prune, string? planId, CancellationToken ct) =>
                TypedResults.Ok(await plane.ApplyAsync(await SpecRequestReader.ReadAsync(context.Request, options.Value.MaxRequestBytes, ct), new ApplyOptions(prune ?? false, planId), AdminActor.Of(context), ct)))
            .Accepts<SpecFilesRequest>(false, SpecContentTypes[0], SpecContentTypes[1..])
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Make these specs desired; services not in them are removed with ?prune=true only; ?planId=ID refuses (409) when the desired state moved since that plan");
    }
}
