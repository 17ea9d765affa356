using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

internal sealed partial class SpecControlPlane
{
    /// <summary>
    /// A reload of the spec files (the agent's SIGHUP): makes <paramref name="loaded"/> the desired state as the agent's
    /// start does, unless specs were applied through the API since. Then the state store wins, as at a restart: what
    /// was applied runs until the next apply. The files are not kept in the store, so a later reload reads them again.
    /// Serialized with applies, so that an apply and a reload never interleave.
    /// </summary>
    /// <param name="loaded">The validated spec files.</param>
    /// <param name="cancellationToken">Cancels the reload.</param>
    /// <returns>What changed; null when specs were applied through the API and the files are not used.</returns>
    /// <exception cref="ControlPlaneException">The state store or the engine cannot be read, or an image is missing: nothing was changed.</exception>
    public async Task<string?> ReloadFilesAsync(IReadOnlyList<ServiceSpec> loaded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        await _oneApply.WaitAsync(cancellationToken);
        try
        {
            ulong applied;
            try
            {
                applied = await desired.VersionAsync(cancellationToken);
            }
            catch (StateStoreUnavailableException e)
            {
                throw new ControlPlaneException(ControlPlaneError.Unavailable, $"the state store cannot be read, so whether specs were applied through the API is unknown ({e.Message})", e);
            }

            if (applied != 0)
            {
                return null;
            }

            // As at the start: the environment digested with the host's key before the version is read.
            var next = await PinAsync([.. loaded.Select(s => Secrets.EnvDigests.Apply(s, key))], fresh: null, cancellationToken);
            await images.CheckAsync(next, specs.Current, cancellationToken);
            var summary = Summarize(ApplyPlanner.Plan(specs.Current, next, await RunningAsync(cancellationToken)));
            specs.Replace(next);
            foreach (var listener in listeners)
            {
                listener.OnApplied(next);
            }

            await TryAuditAsync(new AuditEntry(time.GetUtcNow(), "reload", "reload", null, summary, "ok"), cancellationToken);
            return summary;
        }
        finally
        {
            _oneApply.Release();
        }
    }
}
