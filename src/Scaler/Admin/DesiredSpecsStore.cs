using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

/// <summary>The applied spec texts, kept as they were sent (re-validated when read back) under <see cref="StateKeys.DesiredSpecs"/>.</summary>
internal sealed class DesiredSpecsStore(IStateStore store)
{
    /// <exception cref="StateStoreUnavailableException">The store cannot be written.</exception>
    /// <exception cref="ControlPlaneException">Another writer changed the desired state meanwhile (409).</exception>
    public async Task SaveAsync(IReadOnlyList<SpecFile> files, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new SpecFilesRequest(files), DesiredSpecsJsonContext.Default.SpecFilesRequest);
        if (!await store.TryPutAsync(StateKeys.DesiredSpecs, bytes, current?.Version ?? 0, cancellationToken))
        {
            throw new ControlPlaneException(ControlPlaneError.Conflict, "another apply changed the desired state at the same time; run `bollard plan` again");
        }
    }

    /// <summary>The last applied files, or null when nothing was ever applied.</summary>
    public async Task<IReadOnlyList<SpecFile>?> LoadAsync(CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        return entry is null ? null : JsonSerializer.Deserialize(entry.Value.Span, DesiredSpecsJsonContext.Default.SpecFilesRequest)?.Files;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SpecFilesRequest))]
internal sealed partial class DesiredSpecsJsonContext : JsonSerializerContext;
