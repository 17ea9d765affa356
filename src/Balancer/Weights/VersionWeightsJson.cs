using System.Text.Json;
using Bollard.Balancer.Routing;

namespace Bollard.Balancer.Weights;

/// <summary>
/// The JSON form of a service's weights, as kept in Consul KV and in cluster metadata: one object of
/// version -> per-mille, e.g. <c>{"v1":950,"v2":50}</c>.
/// </summary>
internal static class VersionWeightsJson
{
    public static string Format(VersionWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return JsonSerializer.Serialize(
            weights.Versions.ToDictionary(w => w.Version, w => w.PerMille, StringComparer.Ordinal),
            BalancerJsonContext.Default.DictionaryStringInt32);
    }

    /// <exception cref="FormatException">Not such an object, or weights that break the invariants (the message says which).</exception>
    public static VersionWeights Parse(ReadOnlySpan<byte> json)
    {
        Dictionary<string, int>? perMille;
        try
        {
            perMille = JsonSerializer.Deserialize(json, BalancerJsonContext.Default.DictionaryStringInt32);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Version weights must be a JSON object of version to per-mille, e.g. {{\"v1\":950,\"v2\":50}}: {e.Message}", e);
        }

        try
        {
            return new VersionWeights(perMille ?? throw new FormatException("Version weights are null."));
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    public static VersionWeights Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));
}
