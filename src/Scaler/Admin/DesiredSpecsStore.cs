using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The applied spec texts, kept as they were sent (re-validated when read back), and the image each service was pinned
/// to when they were applied, under <see cref="StateKeys.DesiredSpecs"/>. A restart reads the pins back instead of
/// resolving the tags again: a tag moved meanwhile must not change what runs. Environment values are sealed with the
/// host's secrets key in what the store keeps (Secrets/SpecFileSealing), and unsealed when read back.
/// </summary>
internal sealed class DesiredSpecsStore(IStateStore store, SecretKey key)
{
    /// <returns>The version saved; 0 when it could not be read back (the save itself landed).</returns>
    /// <exception cref="StateStoreUnavailableException">The store cannot be written.</exception>
    /// <exception cref="ControlPlaneException">Another writer changed the desired state meanwhile (409).</exception>
    public async Task<ulong> SaveAsync(IReadOnlyList<SpecFile> files, IReadOnlyDictionary<string, ImagePin> pins, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new AppliedSpecs(SpecFileSealing.Seal(files, key), pins), DesiredSpecsJsonContext.Default.AppliedSpecs);
        if (!await store.TryPutAsync(StateKeys.DesiredSpecs, bytes, current?.Version ?? 0, cancellationToken))
        {
            throw new ControlPlaneException(ControlPlaneError.Conflict, "another apply changed the desired state at the same time; run `bollard plan` again");
        }

        try
        {
            return (await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken))?.Version ?? 0;
        }
        catch (StateStoreUnavailableException)
        {
            return 0;
        }
    }

    /// <summary>The version of the applied specs in the store (0 when nothing was ever applied): it changes with every apply.</summary>
    public async Task<ulong> VersionAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken))?.Version ?? 0;

    /// <summary>The last applied files (their values unsealed) and pins, or null when nothing was ever applied.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or its values cannot be unsealed with this host's key.</exception>
    public async Task<AppliedSpecs?> LoadAsync(CancellationToken cancellationToken) =>
        (await LoadWithVersionAsync(cancellationToken)).Applied;

    /// <summary>The last applied files and pins (null when nothing was ever applied) and their version in the store (0 then).</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or its values cannot be unsealed with this host's key.</exception>
    public async Task<(AppliedSpecs? Applied, ulong Version)> LoadWithVersionAsync(CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        return (Read(entry), entry?.Version ?? 0);
    }

    /// <summary>The files (their values unsealed) and pins an entry of <see cref="StateKeys.DesiredSpecs"/> holds (null: none), as read or watched.</summary>
    /// <exception cref="JsonException">The entry is not such a record.</exception>
    /// <exception cref="StateStoreUnavailableException">Its values cannot be unsealed with this host's key.</exception>
    public AppliedSpecs? Read(StateEntry? entry)
    {
        if (entry is null || JsonSerializer.Deserialize(entry.Value.Span, DesiredSpecsJsonContext.Default.AppliedSpecs) is not { } applied)
        {
            return null;
        }

        try
        {
            return applied with { Files = SpecFileSealing.Unseal(applied.Files, key) };
        }
        catch (SecretKeyException e)
        {
            throw new StateStoreUnavailableException($"the applied specs cannot be unsealed: {e.Message}", e);
        }
    }
}

/// <summary>What was applied: the files, and the pinned image per service (absent in records written before pins).</summary>
internal sealed record AppliedSpecs(IReadOnlyList<SpecFile> Files, IReadOnlyDictionary<string, ImagePin>? Pins = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AppliedSpecs))]
internal sealed partial class DesiredSpecsJsonContext : JsonSerializerContext;
