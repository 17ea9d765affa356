using System.Text.Json.Serialization;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

/// <summary>What an apply changes, per service (unchanged services included, so the plan shows the whole picture).</summary>
public sealed record PlanResult(IReadOnlyList<ServicePlan> Services)
{
    public bool HasChanges => Services.Any(s => s.Change != PlanChange.Unchanged);
}

/// <summary>One service's part of a plan.</summary>
/// <param name="Service">The service.</param>
/// <param name="Change">Added, removed, changed or unchanged.</param>
/// <param name="FromVersion">The desired version now (null when added).</param>
/// <param name="ToVersion">The desired version after the apply (null when removed).</param>
/// <param name="FromReplicas">The replica count or range now.</param>
/// <param name="ToReplicas">The replica count or range after.</param>
/// <param name="FromRoute">The route now.</param>
/// <param name="ToRoute">The route after.</param>
/// <param name="Changes">Each changed field in words ("image: a -> b").</param>
/// <param name="ContainersToCreate">Containers that will be created.</param>
/// <param name="ContainersToRemove">Containers that will be drained and removed.</param>
/// <param name="Weights">The traffic split once the apply has converged.</param>
/// <param name="PinnedImage">What the image is pinned to after the apply (null when removed or not pinned).</param>
public sealed record ServicePlan(
    string Service,
    PlanChange Change,
    string? FromVersion,
    string? ToVersion,
    string? FromReplicas,
    string? ToReplicas,
    RouteSpec? FromRoute,
    RouteSpec? ToRoute,
    IReadOnlyList<string> Changes,
    int ContainersToCreate,
    int ContainersToRemove,
    IReadOnlyList<VersionWeight> Weights,
    string? PinnedImage = null);

[JsonConverter(typeof(JsonStringEnumConverter<PlanChange>))]
public enum PlanChange
{
    Unchanged,
    Added,
    Removed,
    Changed,
}

/// <summary>The share of a service's requests that a version gets, in percent.</summary>
public sealed record VersionWeight(string Version, double Percent);

/// <summary>What an apply did: the plan it carried out and the audit entry it left.</summary>
public sealed record ApplyResult(PlanResult Plan, AuditEntry Audit);
