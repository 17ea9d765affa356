using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// Loads and saves <see cref="Deployment"/> records as JSON in the state store, one key per service. Environment
/// values are sealed with the host's secrets key (Secrets/SealedEnvironmentJsonConverter): the store never holds one
/// in clear text.
/// </summary>
public sealed class DeploymentStore(IStateStore store, SecretKey key)
{
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new SealedEnvironmentJsonConverter(key) },
    };

    private readonly Dictionary<string, ulong> _versions = new(StringComparer.Ordinal);

    public async Task<Deployment?> LoadAsync(string service, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(StateKeys.Rollout(service), cancellationToken);
        if (entry is null)
        {
            return null;
        }

        _versions[service] = entry.Version;
        try
        {
            return JsonSerializer.Deserialize<Deployment>(entry.Value.Span, _json);
        }
        catch (JsonException e)
        {
            throw new StateStoreUnavailableException($"the deployment record of '{service}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The stored record of a service, for a reader that never saves it (status, the admin API of an agent that is
    /// not the controller): unlike <see cref="LoadAsync"/> it leaves the version a later save checks against alone.
    /// </summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or the record cannot.</exception>
    public async Task<Deployment?> ReadAsync(string service, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(StateKeys.Rollout(service), cancellationToken) is not { } entry)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Deployment>(entry.Value.Span, _json);
        }
        catch (JsonException e)
        {
            throw new StateStoreUnavailableException($"the deployment record of '{service}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Reads a record as the store holds it (its values unsealed with this store's key).</summary>
    public Deployment? Deserialize(string json) => JsonSerializer.Deserialize<Deployment>(json, _json);

    /// <summary>Saves the record; false when someone else changed it since it was loaded (reload and decide again).</summary>
    public async Task<bool> SaveAsync(string service, Deployment deployment, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(deployment, _json);
        var expected = _versions.GetValueOrDefault(service);
        if (!await store.TryPutAsync(StateKeys.Rollout(service), bytes, expected, cancellationToken))
        {
            _versions.Remove(service);
            return false;
        }

        var saved = await store.GetAsync(StateKeys.Rollout(service), cancellationToken);
        _versions[service] = saved?.Version ?? expected + 1;
        return true;
    }
}
