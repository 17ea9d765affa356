using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>
/// What the admin API asks of the control plane. Every method either returns its answer or throws
/// <see cref="SpecValidationException"/> (invalid specs: 400 with the located errors) or
/// <see cref="ControlPlaneException"/> (404, 409, 501, 503 with a message that says what is wrong).
/// <paramref name="actor"/> is who asked, as recorded in the audit log.
/// </summary>
public interface IControlPlane
{
    Task<ValidationResult> ValidateAsync(IReadOnlyList<SpecFile> files, CancellationToken cancellationToken);

    /// <summary>What <see cref="ApplyAsync"/> would change, without changing anything.</summary>
    Task<PlanResult> PlanAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the services of <paramref name="files"/> desired as they say; services missing from them are removed with
    /// <see cref="ApplyOptions.Prune"/> only, else left as they are.
    /// </summary>
    Task<ApplyResult> ApplyAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, string actor, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServiceStatus>> GetServicesAsync(CancellationToken cancellationToken);

    /// <summary>The status of one service, or null when no such service is desired.</summary>
    Task<ServiceStatus?> GetServiceAsync(string service, CancellationToken cancellationToken);

    Task<RolloutStatus> StartRolloutAsync(string service, RolloutRequest request, string actor, CancellationToken cancellationToken);

    /// <summary>The service's current or last rollout, or null when it never had one.</summary>
    Task<RolloutStatus?> GetRolloutAsync(string service, CancellationToken cancellationToken);

    Task<RolloutStatus> CommandRolloutAsync(string service, RolloutCommand command, string actor, CancellationToken cancellationToken);
}

/// <summary>How an apply (or its plan) treats what the files do not say.</summary>
/// <param name="Prune">Remove the desired services that are not in the files (kubectl's word); without it they stay.</param>
/// <param name="PlanId">The id of the plan the apply was confirmed on: refused (409) when the desired state has moved
/// since (<see cref="PlanResult.PlanId"/>).</param>
public sealed record ApplyOptions(bool Prune = false, string? PlanId = null);
