using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

internal sealed partial class SpecControlPlane
{
    /// <summary>
    /// A reload of the agent's spec files (its SIGHUP): they become the desired state and the balancer's routes, as the
    /// files the agent started with are, unless specs were applied through the API. Then the applied specs win, as at a
    /// restart, and run until the next apply. The files are not kept in the store, so a later reload reads them again.
    /// Serialized with applies and with the restores that follow the store, so that none of them undoes another.
    /// </summary>
    /// <param name="loaded">The validated spec files.</param>
    /// <param name="watch">The watch that publishes the applied specs (or the files) to the balancer; null: none.</param>
    /// <param name="cancellationToken">Cancels the reload.</param>
    /// <returns>What changed; null when specs were applied through the API and the files are not used.</returns>
    /// <exception cref="ControlPlaneException">The state store or the engine cannot be read, or an image is missing: nothing was changed.</exception>
    public async Task<string?> ReloadFilesAsync(IReadOnlyList<ServiceSpec> loaded, AppliedSpecsWatch? watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        // As at the start: the environment digested with the host's key before the version is read.
        IReadOnlyList<ServiceSpec> files = [.. loaded.Select(s => EnvDigests.Apply(s, key))];
        await _oneApply.WaitAsync(cancellationToken);
        try
        {
            var next = await PinAsync(files, fresh: null, cancellationToken);
            await images.CheckAsync(next, specs.Current, cancellationToken);
            var summary = Summarize(ApplyPlanner.Plan(specs.Current, next, await RunningAsync(cancellationToken)));
            bool reloaded;
            try
            {
                reloaded = await restorer.ApplyAsync(
                    async () =>
                    {
                        if (await desired.VersionAsync(cancellationToken) != 0)
                        {
                            return (0UL, false);
                        }

                        specs.ReplaceFiles(files);
                        specs.Replace(next);
                        return (0UL, true);
                    },
                    cancellationToken);
            }
            catch (StateStoreUnavailableException e)
            {
                throw new ControlPlaneException(ControlPlaneError.Unavailable, $"the state store cannot be read, so whether specs were applied through the API is unknown ({e.Message})", e);
            }

            if (!reloaded)
            {
                return null;
            }

            watch?.RepublishFiles();
            await TryAuditAsync(new AuditEntry(time.GetUtcNow(), "reload", "reload", null, summary, "ok"), cancellationToken);
            return summary;
        }
        finally
        {
            _oneApply.Release();
        }
    }
}
