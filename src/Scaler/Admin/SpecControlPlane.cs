using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The control plane as it stands: specs validated with <see cref="SpecLoader"/>, applied by replacing the
/// <see cref="InMemoryServiceSpecSource"/> (the reconcile loop converges on its next pass) and kept in the state store
/// so that a restart comes back to them, and so that every agent follows them (<see cref="AppliedSpecsWatch"/>); status
/// from the catalog; rollouts through the deployment coordinator (in cluster mode, the controller's: see
/// <see cref="Cluster.ClusterControlPlane"/>).
/// </summary>
internal sealed partial class SpecControlPlane(
    InMemoryServiceSpecSource specs,
    DesiredSpecsStore desired,
    DesiredSpecsRestorer restorer,
    IAuditLog audit,
    ControlPlaneStatusReader status,
    IRunningContainers running,
    Deployments.DeploymentCoordinator deployments,
    DeploymentRecords records,
    Deployments.ImagePinner pinner,
    ImagePresence images,
    SecretKey key,
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

    public async Task<PlanResult> PlanAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loaded = Load(files);
        _ = await WithKeptAsync(files, loaded, options.Prune, cancellationToken);
        var given = await PinAsync(loaded, fresh: null, cancellationToken);
        await images.CheckAsync(given, specs.Current, cancellationToken);
        return ApplyPlanner.Plan(specs.Current, given, await RunningAsync(cancellationToken), options.Prune);
    }

    public Task<ApplyResult> ApplyAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(files, options, actor, fresh: null, cancellationToken);

    /// <param name="files">The spec files to apply.</param>
    /// <param name="options">Whether services missing from the files go, and the plan the apply was confirmed on.</param>
    /// <param name="actor">Who applies them (audit).</param>
    /// <param name="fresh">A service whose image is resolved again even if its reference did not change (a rollout start).</param>
    /// <param name="cancellationToken">Cancels the apply.</param>
    private async Task<ApplyResult> ApplyAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, string actor, string? fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loaded = Load(files);
        await _oneApply.WaitAsync(cancellationToken);
        try
        {
            if (options.PlanId is { } planned && ApplyPlanner.PlanId(specs.Current) is var now && planned != now)
            {
                throw new ControlPlaneException(ControlPlaneError.Conflict, $"the desired state has changed since plan {planned} was made (it is now at {now}): run `bollard plan` again and check it");
            }

            var (stored, kept) = await WithKeptAsync(files, loaded, options.Prune, cancellationToken);
            var given = await PinAsync(loaded, fresh, cancellationToken);
            await images.CheckAsync(given, specs.Current, cancellationToken);
            var plan = ApplyPlanner.Plan(specs.Current, given, await RunningAsync(cancellationToken), options.Prune);
            IReadOnlyList<ServiceSpec> next = [.. given, .. kept];
            var summary = Summarize(plan);

            // Saved and made the desired state as one step with respect to the restores that follow the store. Every
            // agent's watch of the store follows (this one's balancer routes by it); this agent's desired state does
            // not wait for its watch, which then knows this version.
            await restorer.ApplyAsync(
                async () =>
                {
                    ulong version;
                    try
                    {
                        version = await desired.SaveAsync(stored, next.Where(s => s.PinnedImage is not null).ToDictionary(s => s.Name, s => Deployments.ImagePin.Of(s)!, StringComparer.Ordinal), cancellationToken);
                    }
                    catch (StateStoreUnavailableException e)
                    {
                        await TryAuditAsync(new AuditEntry(time.GetUtcNow(), actor, "apply", null, summary, $"failed: {e.Message}"), cancellationToken);
                        throw new ControlPlaneException(ControlPlaneError.Unavailable, $"the specs were not applied: the state store cannot be written ({e.Message})", e);
                    }

                    specs.Replace(next);
                    return (version, true);
                },
                cancellationToken);
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

    /// <summary>
    /// Without prune: the desired services the files do not name stay as they are. Returns the files to store (the
    /// given ones, plus the documents of the kept services from the applied files) and the kept specs as they are
    /// desired now. The whole set is validated together: a given service may not take a kept one's route.
    /// </summary>
    private async Task<(IReadOnlyList<SpecFile> Files, IReadOnlyList<ServiceSpec> Kept)> WithKeptAsync(
        IReadOnlyList<SpecFile> files, IReadOnlyList<ServiceSpec> loaded, bool prune, CancellationToken cancellationToken)
    {
        var names = loaded.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var kept = prune ? [] : specs.Current.Where(s => !names.Contains(s.Name)).ToList();
        if (kept.Count == 0)
        {
            return (files, kept);
        }

        var applied = (await desired.LoadAsync(cancellationToken))?.Files ?? [.. FilesFromDisk()];
        List<SpecFile> all = [.. files, .. SpecImages.Only(applied, kept.Select(s => s.Name).ToHashSet(StringComparer.Ordinal))];
        Load(all);
        return (all, kept);
    }

    private IReadOnlyList<ServiceSpec> Load(IReadOnlyList<SpecFile> files) => Load(files, key);

    /// <summary>Validates the files; the specs come out with their environment digested under <paramref name="key"/>.</summary>
    /// <exception cref="SpecValidationException">Any file is malformed or invalid.</exception>
    internal static IReadOnlyList<ServiceSpec> Load(IReadOnlyList<SpecFile> files, SecretKey key) =>
        [.. SpecLoader.LoadTexts(files.Select(f => (f.Name, f.Text))).Select(s => EnvDigests.Apply(s, key))];

    /// <summary>
    /// Pins each spec's image: a reference the service already runs keeps its pin (re-applying, or scaling, never
    /// re-reads a tag); a new reference, or the service a rollout is started for, is resolved on the engine now, or
    /// in its registry when the engine lacks it.
    /// </summary>
    private async Task<IReadOnlyList<ServiceSpec>> PinAsync(IReadOnlyList<ServiceSpec> loaded, string? fresh, CancellationToken cancellationToken)
    {
        var pinned = new List<ServiceSpec>(loaded.Count);
        try
        {
            foreach (var spec in loaded)
            {
                var deployment = await records.ReadAsync(spec.Name, cancellationToken);
                var known = new[] { Deployments.ImagePin.Of(specs.Current.FirstOrDefault(s => s.Name == spec.Name)), Deployments.ImagePin.Of(deployment?.New), Deployments.ImagePin.Of(deployment?.Stable) };
                pinned.Add(await pinner.PinAsync(spec, known, fresh == spec.Name, askRegistry: true, cancellationToken));
            }
        }
        catch (RuntimeUnavailableException e)
        {
            throw new ControlPlaneException(ControlPlaneError.Unavailable, $"the images cannot be pinned to what they name now: {e.Message}", e);
        }

        return pinned;
    }

    private static string Summarize(PlanResult plan)
    {
        var changed = plan.Services.Where(s => s.Change != PlanChange.Unchanged).Select(s => $"{s.Service} {s.Change.ToString().ToLowerInvariant()}").ToList();
        return changed.Count == 0 ? "no changes" : string.Join("; ", changed);
    }

    /// <summary>Running containers per service and version on every host (of the cluster); null when they cannot be read.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>?> RunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            var containers = await running.ListAsync(cancellationToken);
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
