using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

public static partial class AdminApi
{
    private static void MapRollouts(RouteGroupBuilder v1)
    {
        v1.MapPost("/services/{name}/rollout", async Task<Ok<RolloutStatus>> (string name, HttpContext context, IControlPlane plane, IOptions<AdminOptions> options, CancellationToken ct) =>
                TypedResults.Ok(await plane.StartRolloutAsync(name, await ReadRolloutRequestAsync(context.Request, options.Value.MaxRequestBytes, ct), AdminActor.Of(context), ct)))
            .Accepts<RolloutRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .WithSummary("Start a rollout of a new image ({\"image\":\"...\"}) or a whole new spec ({\"spec\":{name,text}})");

        v1.MapGet("/services/{name}/rollout", async Task<Results<Ok<RolloutStatus>, ProblemHttpResult>> (string name, IControlPlane plane, CancellationToken ct) =>
                await plane.GetRolloutAsync(name, ct) is { } status
                    ? TypedResults.Ok(status)
                    : AdminProblems.NotFound($"service '{name}' has had no rollout"))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .WithSummary("The service's current or last rollout");

        v1.MapPost("/services/{name}/rollout/{command}", async Task<Results<Ok<RolloutStatus>, ProblemHttpResult>> (string name, string command, HttpContext context, IControlPlane plane, CancellationToken ct) =>
                Enum.TryParse<RolloutCommand>(command, ignoreCase: true, out var parsed) && !int.TryParse(command, out _)
                    ? TypedResults.Ok(await plane.CommandRolloutAsync(name, parsed, AdminActor.Of(context), ct))
                    : AdminProblems.NotFound($"no rollout command '{command}': use pause, resume, promote, abort or undo"))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .WithSummary("pause, resume, promote, abort or undo the service's rollout");
    }

    private static async Task<RolloutRequest> ReadRolloutRequestAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        RolloutRequest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<RolloutRequest>(await SpecRequestReader.ReadBoundedAsync(request, maxBytes, cancellationToken), SpecRequestReader.Json);
        }
        catch (JsonException e)
        {
            throw SpecRequestReader.Malformed(e, "{\"image\":\"repo:tag\"}");
        }

        return parsed is { Image.Length: > 0 } or { Spec: not null }
            ? parsed
            : throw new ControlPlaneException(ControlPlaneError.Invalid, "the body must name the new 'image' or carry a whole 'spec' ({\"name\":...,\"text\":...})");
    }
}
