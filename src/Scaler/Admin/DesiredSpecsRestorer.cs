using Bollard.Scaler.Deployments;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Admin;

/// <summary>
/// At start, before any hosted service runs (so before the first reconcile pass), makes the last applied specs the
/// desired state again: once something was applied, the state store wins over the spec files the agent was started
/// with. Then pins the desired specs' images: to the pins stored with the applied specs or in the deployment records
/// when the reference is the same (a tag moved while the agent was down changes nothing), else to what the engine says now.
/// </summary>
/// <remarks>
/// A store that cannot be read at start (Consul down) does not stop the agent: its balancer serves the routes and
/// replicas it knew (the routing snapshot on disk) while no reconcile pass runs, since a pass on the older spec files
/// could remove replicas that were applied. As an <see cref="IReconcilePrecondition"/>, every pass tries the restore
/// again first, and the passes start once it works. Later, <see cref="AppliedSpecsWatch"/> restores again whenever the
/// applied specs change in the store (an apply through any agent of a cluster); restores run one at a time.
/// </remarks>
internal sealed partial class DesiredSpecsRestorer(
    DesiredSpecsStore desired,
    DeploymentStore deployments,
    ImagePinner pinner,
    InMemoryServiceSpecSource specs,
    SecretKey key,
    ILogger<DesiredSpecsRestorer> logger) : IHostedLifecycleService, IReconcilePrecondition, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private volatile bool _restored;

    // The version of the applied specs in the store that the desired state holds (restored, or saved by an apply here).
    private ulong _version;

    public void Dispose() => _oneAtATime.Dispose();

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RestoreAsync(cancellationToken);
        }
        catch (StateStoreUnavailableException e)
        {
            LogRestorePostponed(e.Message);
        }
    }

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!_restored)
        {
            await RestoreAsync(cancellationToken);
            LogRestoredLate();
        }
    }

    /// <summary>
    /// Makes the applied specs in the store the desired state (also when a cluster's controller takes over, or
    /// another agent applied specs meanwhile).
    /// </summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read: nothing was changed.</exception>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await RestoreLockedAsync(cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Restores unless the desired state already holds <paramref name="version"/> of the applied specs or a later one
    /// (this agent applied it: its own apply replaced the desired state already).
    /// </summary>
    /// <returns>True when it restored: the applied specs came from elsewhere (another agent of the cluster).</returns>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read: nothing was changed.</exception>
    public async Task<bool> FollowAsync(ulong version, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (_restored && version <= _version)
            {
                return false;
            }

            await RestoreLockedAsync(cancellationToken);
            return true;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Runs an apply (its save to the store and its replacing of the desired state) as one step with respect to
    /// restores, so that a restore never puts back what the apply replaced; remembers the version it saved.
    /// </summary>
    /// <param name="apply">The apply; returns the version it saved (0 when unknown) with its result.</param>
    /// <param name="cancellationToken">Cancels the wait for a restore under way.</param>
    public async Task<T> ApplyAsync<T>(Func<Task<(ulong Version, T Result)>> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var (version, result) = await apply();
            _version = Math.Max(_version, version);
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task RestoreLockedAsync(CancellationToken cancellationToken)
    {
        AppliedSpecs? applied;
        ulong version;
        try
        {
            (applied, version) = await desired.LoadWithVersionAsync(cancellationToken);
        }
        catch (StateStoreUnavailableException e)
        {
            throw new StateStoreUnavailableException($"cannot read the applied specs from the state store (no reconcile pass runs until it can): {e.Message}", e);
        }

        var restored = applied is null ? null : Restore(applied);
        // Specs from the files the agent started with enter here: their environment is digested with this host's key.
        var pinned = await PinAsync(restored ?? [.. specs.Current.Select(s => EnvDigests.Apply(s, key))], applied?.Pins, cancellationToken);
        specs.Replace(pinned);
        _version = version;
        _restored = true;
        if (restored is not null)
        {
            LogRestored(restored.Count);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IReadOnlyList<ServiceSpec>? Restore(AppliedSpecs applied)
    {
        try
        {
            return SpecControlPlane.Load(applied.Files, key);
        }
        catch (SpecValidationException e)
        {
            // Possible only if a newer version's specs were applied and this older one cannot read them.
            LogRestoreInvalid(e.Message);
            return null;
        }
    }

    private async Task<IReadOnlyList<ServiceSpec>> PinAsync(IReadOnlyList<ServiceSpec> loaded, IReadOnlyDictionary<string, ImagePin>? stored, CancellationToken cancellationToken)
    {
        var pinned = new List<ServiceSpec>(loaded.Count);
        foreach (var spec in loaded)
        {
            // Read, not loaded: the deployment coordinator alone tracks the versions its saves check against.
            var record = await deployments.ReadAsync(spec.Name, cancellationToken);
            ImagePin?[] known = [stored?.GetValueOrDefault(spec.Name), ImagePin.Of(record?.New), ImagePin.Of(record?.Stable), ImagePin.Of(record?.Previous)];
            try
            {
                pinned.Add(await pinner.PinAsync(spec, known, fresh: false, askRegistry: true, cancellationToken));
            }
            catch (RuntimeUnavailableException e)
            {
                // The reconcile loop pins it once the engine answers (and changes nothing before that).
                LogPinPostponed(spec.Name, spec.Image, e.Message);
                pinned.Add(spec);
            }
        }

        return pinned;
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Desired state follows the state store: {Count} service(s) as last applied (the spec files are not read again)")]
    private partial void LogRestored(int count);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "The applied specs cannot be read at start: {Error}. The balancer serves the routes it knew; reconcile passes wait until the state store answers")]
    private partial void LogRestorePostponed(string error);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "The state store answers: the applied specs are restored and reconcile passes start")]
    private partial void LogRestoredLate();

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "The applied specs in the state store are invalid; running on the spec files instead: {Error}")]
    private partial void LogRestoreInvalid(string error);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "{Service}: image {Image} not pinned yet, the engine cannot be read ({Error}); the reconcile loop pins it when it answers")]
    private partial void LogPinPostponed(string service, string image, string error);
}
