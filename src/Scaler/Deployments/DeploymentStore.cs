using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Deployments;

/// <summary>Loads and saves <see cref="Deployment"/> records as JSON in the state store, one key per service.</summary>
public sealed class DeploymentStore(IStateStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
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
        return JsonSerializer.Deserialize<Deployment>(entry.Value.Span, Json);
    }

    /// <summary>
    /// The stored record of a service, for a reader that never saves it (status, the admin API of an agent that is
    /// not the controller): unlike <see cref="LoadAsync"/> it leaves the version a later save checks against alone.
    /// </summary>
    public async Task<Deployment?> ReadAsync(string service, CancellationToken cancellationToken) =>
        await store.GetAsync(StateKeys.Rollout(service), cancellationToken) is { } entry
            ? JsonSerializer.Deserialize<Deployment>(entry.Value.Span, Json)
            : null;

    /// <summary>Saves the record; false when someone else changed it since it was loaded (reload and decide again).</summary>
    public async Task<bool> SaveAsync(string service, Deployment deployment, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(deployment, Json);
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

    public static string Serialize(Deployment deployment) => JsonSerializer.Serialize(deployment, Json);

    public static Deployment? Deserialize(string json) => JsonSerializer.Deserialize<Deployment>(json, Json);
}
