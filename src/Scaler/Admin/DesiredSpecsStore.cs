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
    /// <exception cref="StateStoreUnavailableException">The store cannot be written.</exception>
    /// <exception cref="ControlPlaneException">Another writer changed the desired state meanwhile (409).</exception>
    public async Task SaveAsync(IReadOnlyList<SpecFile> files, IReadOnlyDictionary<string, ImagePin> pins, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new AppliedSpecs(SpecFileSealing.Seal(files, key), pins), DesiredSpecsJsonContext.Default.AppliedSpecs);
        if (!await store.TryPutAsync(StateKeys.DesiredSpecs, bytes, current?.Version ?? 0, cancellationToken))
        {
            throw new ControlPlaneException(ControlPlaneError.Conflict, "another apply changed the desired state at the same time; run `bollard plan` again");
        }
    }

    /// <summary>The version of the applied specs in the store (0 when nothing was ever applied): it changes with every apply.</summary>
    public async Task<ulong> VersionAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken))?.Version ?? 0;

    /// <summary>The last applied files (their values unsealed) and pins, or null when nothing was ever applied.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read, or its values cannot be unsealed with this host's key.</exception>
    public async Task<AppliedSpecs?> LoadAsync(CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
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
