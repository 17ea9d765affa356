using Bollard.Scaler.Admin;

namespace Bollard.Scaler.Tests.Admin;

/// <summary>Validates for real (through <see cref="SpecControlPlane"/>'s loader) and answers the rest from fields.</summary>
internal sealed class FakeControlPlane : IControlPlane
{
    private static readonly Scaler.Secrets.SecretKey Key = Scaler.Secrets.SecretKey.Ephemeral();

    public List<string> Actors { get; } = [];

    public Task<ValidationResult> ValidateAsync(IReadOnlyList<SpecFile> files, CancellationToken cancellationToken) =>
        Task.FromResult(new ValidationResult([.. SpecControlPlane.Load(files, Key).Select(s => new ValidatedService(s.Name, s.Source, s.Version, SpecFacts.ReplicasText(s)))]));

    public Task<PlanResult> PlanAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, CancellationToken cancellationToken) =>
        Task.FromResult(ApplyPlanner.Plan([], SpecControlPlane.Load(files, Key), null, options.Prune));

    public Task<ApplyResult> ApplyAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, string actor, CancellationToken cancellationToken) =>
        throw new ControlPlaneException(ControlPlaneError.Conflict, "another apply is running");

    public Task<IReadOnlyList<ServiceStatus>> GetServicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServiceStatus>>([]);

    public Task<ServiceStatus?> GetServiceAsync(string service, CancellationToken cancellationToken) => Task.FromResult<ServiceStatus?>(null);

    public Task<RolloutStatus> StartRolloutAsync(string service, RolloutRequest request, string actor, CancellationToken cancellationToken)
    {
        Actors.Add(actor);
        throw new ControlPlaneException(ControlPlaneError.NotAvailable, "rollouts are not available yet");
    }

    public Task<RolloutStatus?> GetRolloutAsync(string service, CancellationToken cancellationToken) => Task.FromResult<RolloutStatus?>(null);

    public Task<RolloutStatus> CommandRolloutAsync(string service, RolloutCommand command, string actor, CancellationToken cancellationToken) =>
        throw new ControlPlaneException(ControlPlaneError.NotAvailable, "rollouts are not available yet");
}
