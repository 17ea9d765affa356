using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Admin;

/// <summary>
/// At start, before any hosted service runs (so before the first reconcile pass), makes the last applied specs the
/// desired state again: once something was applied, the state store wins over the spec files the agent was started
/// with. A store that cannot be read stops the start: acting on older specs could remove replicas that were applied.
/// </summary>
internal sealed partial class DesiredSpecsRestorer(
    DesiredSpecsStore desired,
    InMemoryServiceSpecSource specs,
    IEnumerable<IAppliedSpecsListener> listeners,
    ILogger<DesiredSpecsRestorer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SpecFile>? files;
        try
        {
            files = await desired.LoadAsync(cancellationToken);
        }
        catch (StateStoreUnavailableException e)
        {
            throw new StateStoreUnavailableException($"cannot read the applied specs from the state store: {e.Message}", e);
        }

        if (files is null)
        {
            return;
        }

        IReadOnlyList<ServiceSpec> restored;
        try
        {
            restored = SpecControlPlane.Load(files);
        }
        catch (SpecValidationException e)
        {
            // Possible only if a newer version's specs were applied and this older one cannot read them.
            LogRestoreInvalid(e.Message);
            return;
        }

        specs.Replace(restored);
        foreach (var listener in listeners)
        {
            listener.OnApplied(restored);
        }

        LogRestored(restored.Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Desired state restored from the state store: {Count} service(s) as last applied (the spec files are not read again)")]
    private partial void LogRestored(int count);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "The applied specs in the state store are invalid; running on the spec files instead: {Error}")]
    private partial void LogRestoreInvalid(string error);
}
