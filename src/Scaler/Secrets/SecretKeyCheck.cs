using System.Text;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// At start, before the applied specs are read back: the state store keeps the fingerprint of the key its values are
/// sealed with (the first agent writes it). An agent with another key could not unseal them, and would seal new ones
/// that the others cannot read, so it refuses to start and says which file to copy. A store that cannot be read at
/// start postpones the check: as an <see cref="IReconcilePrecondition"/> it runs again before every pass, and no pass
/// runs until it has passed (a mismatch found then keeps every pass from running, and says why in the loop's errors).
/// </summary>
internal sealed partial class SecretKeyCheck(SecretKey key, IStateStore store, ILogger<SecretKeyCheck> logger) : IHostedLifecycleService, IReconcilePrecondition
{
    private volatile bool _checked;

    /// <exception cref="SecretKeyException">The store's values are sealed with another key.</exception>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync(cancellationToken);
        }
        catch (StateStoreUnavailableException e)
        {
            LogCheckPostponed(e.Message);
        }
    }

    /// <exception cref="SecretKeyException">The store's values are sealed with another key.</exception>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read.</exception>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_checked)
        {
            return;
        }

        var recorded = await store.GetAsync(StateKeys.SecretsKeyFingerprint, cancellationToken);
        if (recorded is null && await store.TryPutAsync(StateKeys.SecretsKeyFingerprint, Encoding.ASCII.GetBytes(key.Fingerprint), 0, cancellationToken))
        {
            LogRecorded(key.Fingerprint, key.File);
            _checked = true;
            return;
        }

        recorded ??= await store.GetAsync(StateKeys.SecretsKeyFingerprint, cancellationToken);
        var fingerprint = recorded is null ? null : Encoding.ASCII.GetString(recorded.Value.Span);
        if (fingerprint != key.Fingerprint)
        {
            throw new SecretKeyException(
                $"the state store's values are sealed with another secrets key (fingerprint {fingerprint}) than this agent's {key.File} (fingerprint {key.Fingerprint}): " +
                "every agent of a cluster needs the same key file; copy it from a host of the cluster (mode 0600)");
        }

        _checked = true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Secrets key {Fingerprint} ({File}) recorded in the state store: every agent sharing this state needs the same key file")]
    private partial void LogRecorded(string fingerprint, string file);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Warning, Message = "The secrets key cannot be checked against the state store yet ({Error}); no reconcile pass runs until it is")]
    private partial void LogCheckPostponed(string error);
}
