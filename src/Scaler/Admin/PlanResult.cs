using System.Text.Json.Serialization;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

/// <summary>What an apply changes, per service (unchanged services included, so the plan shows the whole picture).</summary>
/// <param name="Services">Every service desired now or after the apply.</param>
/// <param name="PlanId">A hash of the desired state the plan was computed against: <c>apply --plan-id</c> is refused
/// (409) once that state has moved.</param>
public sealed record PlanResult(IReadOnlyList<ServicePlan> Services, string PlanId = "")
{
    public bool HasChanges => Services.Any(s => s.Change is not (PlanChange.Unchanged or PlanChange.Kept));

    /// <summary>What deserves a confirmation: services removed, replicas cut by more than half.</summary>
    public IReadOnlyList<string> Cautions => [.. Services.Where(s => s.Caution is not null).Select(s => $"{s.Service}: {s.Caution}")];
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
/// <param name="Weights">The traffic split the apply leads to: a canary's first step, otherwise all on the new version.</param>
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
    string? PinnedImage = null)
{
    /// <summary>Why this change deserves a second look (a removal, replicas cut by more than half); null otherwise.</summary>
    public string? Caution { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<PlanChange>))]
public enum PlanChange
{
    Unchanged,
    Added,
    Removed,
    Changed,

    /// <summary>Desired now, not in the applied files, and left as it is (an apply without prune).</summary>
    Kept,
}

/// <summary>The share of a service's requests that a version gets, in percent.</summary>
public sealed record VersionWeight(string Version, double Percent);

/// <summary>What an apply did: the plan it carried out and the audit entry it left.</summary>
public sealed record ApplyResult(PlanResult Plan, AuditEntry Audit);
