using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The control plane as it stands: specs validated with <see cref="SpecLoader"/>, applied by replacing the
/// <see cref="InMemoryServiceSpecSource"/> (the reconcile loop converges on its next pass) and kept in the state store
/// so that a restart comes back to them; status from the catalog; rollouts through the deployment coordinator.
/// </summary>
internal sealed partial class SpecControlPlane(
    InMemoryServiceSpecSource specs,
    DesiredSpecsStore desired,
    IAuditLog audit,
    ControlPlaneStatusReader status,
    IContainerRuntime runtime,
    Deployments.DeploymentCoordinator deployments,
    IOptions<ScalerOptions> options,
    IEnumerable<IAppliedSpecsListener> listeners,
    TimeProvider time,
    ILogger<SpecControlPlane> logger) : IControlPlane, IDisposable
{
    private readonly SemaphoreSlim _oneApply = new(1, 1);

    public void Dispose() => _oneApply.Dispose();

    public Task<ValidationResult> ValidateAsync(IReadOnlyList<SpecFile> files, CancellationToken cancellationToken)
    {
        var loaded = Load(files);
        return Task.FromResult(new ValidationResult([.. loaded.Select(s => new ValidatedService(s.Name, s.Source, s.Version, SpecFacts.ReplicasText(s)))]));
    }

    public async Task<PlanResult> PlanAsync(IReadOnlyList<SpecFile> files, CancellationToken cancellationToken) =>
        ApplyPlanner.Plan(specs.Current, Load(files), await RunningAsync(cancellationToken));

    public async Task<ApplyResult> ApplyAsync(IReadOnlyList<SpecFile> files, string actor, CancellationToken cancellationToken)
    {
        var next = Load(files);
        await _oneApply.WaitAsync(cancellationToken);
        try
        {
            var plan = ApplyPlanner.Plan(specs.Current, next, await RunningAsync(cancellationToken));
            var summary = Summarize(plan);
            try
            {
                await desired.SaveAsync(files, cancellationToken);
            }
            catch (StateStoreUnavailableException e)
            {
                await TryAuditAsync(new AuditEntry(time.GetUtcNow(), actor, "apply", null, summary, $"failed: {e.Message}"), cancellationToken);
                throw new ControlPlaneException(ControlPlaneError.Unavailable, $"the specs were not applied: the state store cannot be written ({e.Message})", e);
            }

            specs.Replace(next);
            foreach (var listener in listeners)
            {
                listener.OnApplied(next);
            }

            var entry = new AuditEntry(time.GetUtcNow(), actor, "apply", null, summary, "ok");
            await TryAuditAsync(entry, cancellationToken);
            LogApplied(actor, summary);
            return new ApplyResult(plan, entry);
        }
        finally
        {
            _oneApply.Release();
        }
    }

    public Task<IReadOnlyList<ServiceStatus>> GetServicesAsync(CancellationToken cancellationToken) =>
        status.ReadAllAsync(specs.Current, cancellationToken);

    public async Task<ServiceStatus?> GetServiceAsync(string service, CancellationToken cancellationToken) =>
        specs.Current.FirstOrDefault(s => s.Name == service) is { } spec ? await status.ReadAsync(spec, cancellationToken) : null;

    internal static IReadOnlyList<ServiceSpec> Load(IReadOnlyList<SpecFile> files) =>
        SpecLoader.LoadTexts(files.Select(f => (f.Name, f.Text)));

    private static string Summarize(PlanResult plan)
    {
        var changed = plan.Services.Where(s => s.Change != PlanChange.Unchanged).Select(s => $"{s.Service} {s.Change.ToString().ToLowerInvariant()}").ToList();
        return changed.Count == 0 ? "no changes" : string.Join("; ", changed);
    }

    /// <summary>Running containers per service and version on this host; null when the engine cannot be read.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>?> RunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            var containers = await runtime.ListManagedAsync(options.Value.Cluster, cancellationToken);
            return containers.Where(c => c.State != ContainerRunState.Stopped)
                .GroupBy(c => c.Service, StringComparer.Ordinal)
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyDictionary<string, int>)g.GroupBy(c => c.Version, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.Count(), StringComparer.Ordinal),
                    StringComparer.Ordinal);
        }
        catch (RuntimeUnavailableException e)
        {
            LogEngineUnavailable(e.Message);
            return null;
        }
    }

    private async Task TryAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(entry, cancellationToken);
        }
        catch (StateStoreUnavailableException e)
        {
            LogAuditFailed(entry.Action, e.Message);
        }
    }
}
