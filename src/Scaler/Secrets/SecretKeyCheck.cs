using System.Text;
using Bollard.Scaler.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// At start, before the applied specs are read back: the state store keeps the fingerprint of the key its values are
/// sealed with (the first agent writes it). An agent with another key could not unseal them, and would seal new ones
/// that the others cannot read, so it refuses to start and says which file to copy. A store that cannot be read stops
/// the start as well (the applied specs could not be read either).
/// </summary>
internal sealed partial class SecretKeyCheck(SecretKey key, IStateStore store, ILogger<SecretKeyCheck> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var recorded = await store.GetAsync(StateKeys.SecretsKeyFingerprint, cancellationToken);
        if (recorded is null && await store.TryPutAsync(StateKeys.SecretsKeyFingerprint, Encoding.ASCII.GetBytes(key.Fingerprint), 0, cancellationToken))
        {
            LogRecorded(key.Fingerprint, key.File);
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
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Secrets key {Fingerprint} ({File}) recorded in the state store: every agent sharing this state needs the same key file")]
    private partial void LogRecorded(string fingerprint, string file);
}
