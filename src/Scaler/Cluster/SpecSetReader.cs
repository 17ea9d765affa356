using System.Text;
using System.Text.Json;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Reads <see cref="SpecSetVersions"/> from the state store each time it is asked (the spec set may have changed since
/// the last command); the applied spec texts are parsed again only when their version moved.
/// </summary>
public sealed class SpecSetReader(IStateStore store, SecretKey key)
{
    private readonly DeploymentStore _records = new(store, key);
    private readonly Lock _lock = new();
    private (ulong Version, IReadOnlyList<ServiceSpec> Specs, IReadOnlyDictionary<string, ImagePin>? Pins) _parsed = (0, [], null);

    /// <exception cref="StateStoreUnavailableException">The store cannot be read.</exception>
    internal async Task<SpecSetVersions> ReadAsync(CancellationToken cancellationToken)
    {
        var desired = await store.GetAsync(StateKeys.DesiredSpecs, cancellationToken);
        var (specs, pins) = desired is null ? ([], null) : Parse(desired);

        // StateKeys.Rollout("") is the prefix of every service's record.
        var records = await store.ListAsync(StateKeys.Rollout(string.Empty), cancellationToken);
        return SpecSetVersions.From(specs, pins, records.Select(Record).OfType<Deployment>());
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
            specs = applied is null ? [] : SpecControlPlane.Load(applied.Files, key);
        }
        catch (Exception e) when (e is JsonException or SpecValidationException or SecretKeyException)
        {
            // Specs this agent cannot read allow nothing of their own; the deployment records still count.
        }

        lock (_lock)
        {
            _parsed = (desired.Version, specs, pins);
        }

        return (specs, pins);
    }

    /// <summary>A record this agent cannot read (another version's, sealed with another key) allows nothing.</summary>
    private Deployment? Record(StateEntry entry)
    {
        try
        {
            return _records.Deserialize(Encoding.UTF8.GetString(entry.Value.Span));
        }
        catch (Exception e) when (e is JsonException or SecretKeyException)
        {
            return null;
        }
    }
}
