using System.Text;
using System.Text.Json;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Reads <see cref="SpecSetImages"/> from the state store each time it is asked (the spec set may have changed since
/// the last command); the applied spec texts are parsed again only when their version moved.
/// </summary>
public sealed class SpecSetImagesReader(IStateStore store)
{
    private readonly Lock _lock = new();
    private (ulong Version, IReadOnlyList<ServiceSpec> Specs, IReadOnlyDictionary<string, ImagePin>? Pins) _parsed = (0, [], null);

    /// <exception cref="StateStoreUnavailableException">The store cannot be read.</exception>
    internal async Task<SpecSetImages> ReadAsync(CancellationToken cancellationToken)
    {
        var desired = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        var (specs, pins) = desired is null ? ([], null) : Parse(desired);

        // StateKeys.Rollout("") is the prefix of every service's record.
        var records = await store.ListAsync(StateKeys.Rollout(string.Empty), cancellationToken);
        return SpecSetImages.From(specs, pins, records.Select(Record).OfType<Deployment>());
    }

    private (IReadOnlyList<ServiceSpec> Specs, IReadOnlyDictionary<string, ImagePin>? Pins) Parse(StateEntry desired)
    {
        lock (_lock)
        {
            if (_parsed.Version == desired.Version)
            {
                return (_parsed.Specs, _parsed.Pins);
            }
        }

        IReadOnlyList<ServiceSpec> specs = [];
        IReadOnlyDictionary<string, ImagePin>? pins = null;
        try
        {
            var applied = JsonSerializer.Deserialize(desired.Value.Span, DesiredSpecsJsonContext.Default.AppliedSpecs);
            pins = applied?.Pins;
            specs = applied is null ? [] : SpecControlPlane.Load(applied.Files);
        }
        catch (Exception e) when (e is JsonException or SpecValidationException)
        {
            // Specs this agent cannot read allow nothing of their own; the deployment records still count.
        }

        lock (_lock)
        {
            _parsed = (desired.Version, specs, pins);
        }

        return (specs, pins);
    }

    private static Deployment? Record(StateEntry entry)
    {
        try
        {
            return DeploymentStore.Deserialize(Encoding.UTF8.GetString(entry.Value.Span));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
