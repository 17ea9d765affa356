using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Deployments;

/// <summary>A deployment record as the state store holds it, with the store's version of it (for check-and-set).</summary>
public sealed record StoredDeployment(Deployment Record, ulong Version);

/// <summary>
/// Loads and saves <see cref="Deployment"/> records as JSON in the state store, one key per service. Environment
/// values are sealed with the host's secrets key (Secrets/SealedEnvironmentJsonConverter): the store never holds one
/// in clear text. Stateless otherwise: a save names the version it was decided from, so a record changed in between
/// (by a rollout command, or another controller) is a conflict, never overwritten.
/// </summary>
public sealed class DeploymentStore(IStateStore store, SecretKey key)
{
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new SealedEnvironmentJsonConverter(key) },
    };

    /// <summary>The stored record of a service, or null when it has none.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or the record cannot be.</exception>
    public async Task<Deployment?> LoadAsync(string service, CancellationToken cancellationToken) =>
        (await ReadStoredAsync(service, cancellationToken))?.Record;

    /// <summary>
    /// The stored record of a service, for a reader that never saves it (status, the admin API of an agent that is not
    /// the controller). The same as <see cref="LoadAsync"/>: the store keeps no state between calls.
    /// </summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or the record cannot be.</exception>
    public Task<Deployment?> ReadAsync(string service, CancellationToken cancellationToken) => LoadAsync(service, cancellationToken);

    /// <summary>The stored record and its version (what a save checks against), or null when the service has none.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or the record cannot be.</exception>
    public async Task<StoredDeployment?> ReadStoredAsync(string service, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(StateKeys.Rollout(service), cancellationToken);
        return entry is null || Read(service, entry.Value.Span) is not { } record
            ? null
            : new StoredDeployment(record, entry.Version);
    }

    /// <summary>Reads a record as the store holds it (its values unsealed with this store's key).</summary>
    public Deployment? Deserialize(string json) => JsonSerializer.Deserialize<Deployment>(json, _json);

    /// <summary>
    /// Saves the record if the stored one is still at <paramref name="expectedVersion"/> (0: only if there is none).
    /// Returns what is now stored; null when someone else changed it meanwhile (reload and decide again).
    /// </summary>
    /// <exception cref="StateStoreUnavailableException">The store did not answer: the write may have landed or not.</exception>
    public async Task<StoredDeployment?> SaveAsync(string service, Deployment deployment, ulong expectedVersion, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(deployment, _json);
        if (!await store.TryPutAsync(StateKeys.Rollout(service), bytes, expectedVersion, cancellationToken))
        {
            return null;
        }

        // The store's versions are its own (Consul's modify index is global): read back the one this write got. Should
        // another writer have come in between, what it wrote is what is stored, and the next save conflicts with it.
        var saved = await store.GetAsync(StateKeys.Rollout(service), cancellationToken);
        return saved is null ? null
            : saved.Value.Span.SequenceEqual(bytes) ? new StoredDeployment(deployment, saved.Version)
            : Read(service, saved.Value.Span) is { } other ? new StoredDeployment(other, saved.Version)
            : null;
    }

    private Deployment? Read(string service, ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<Deployment>(json, _json);
        }
        catch (JsonException e)
        {
            throw new StateStoreUnavailableException($"the deployment record of '{service}' cannot be read: {e.Message}", e);
        }
    }
}
