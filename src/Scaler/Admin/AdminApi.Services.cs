using Bollard.Scaler.Decisions;
using Bollard.Scaler.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bollard.Scaler.Admin;

public static partial class AdminApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    private static void MapServices(RouteGroupBuilder v1)
    {
        v1.MapGet("/services", async (IControlPlane plane, CancellationToken ct) => TypedResults.Ok(await plane.GetServicesAsync(ct)))
            .WithSummary("Every desired service with its status");

        v1.MapGet("/services/{name}", async Task<Results<Ok<ServiceStatus>, ProblemHttpResult>> (string name, IControlPlane plane, CancellationToken ct) =>
                await plane.GetServiceAsync(name, ct) is { } status ? TypedResults.Ok(status) : NoSuchService(name))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One service: replicas per zone and version, weights, health, expected availability, active rollout");

        v1.MapGet("/services/{name}/decisions", (string name, int? limit, DecisionLog log, CancellationToken ct) => DecisionsAsync(log, name, limit, ct))
            .WithSummary("The service's recent decisions with their reasons, oldest first (kept in the state store: every controller's)");

        v1.MapGet("/decisions", (int? limit, DecisionLog log, CancellationToken ct) => DecisionsAsync(log, null, limit, ct))
            .WithSummary("Recent decisions of every service, oldest first (kept in the state store: every controller's)");

        v1.MapGet("/audit", async Task<Ok<IReadOnlyList<AuditEntry>>> (string? service, int? limit, IAuditLog audit, CancellationToken ct) =>
                TypedResults.Ok(await audit.ReadAsync(service, Limit(limit), ct)))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("The audit log: who changed what, when, and the outcome, oldest first");
    }

    private static async Task<Ok<Decision[]>> DecisionsAsync(DecisionLog log, string? service, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok((await log.ReadAsync(service, cancellationToken)).TakeLast(Limit(limit)).ToArray());

    private static int Limit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    internal static ProblemHttpResult NoSuchService(string name) =>
        AdminProblems.NotFound($"no service '{name}' in the desired state; `bollard status` lists the services");
}
