using System.Globalization;

namespace Bollard.Scaler.Rollouts;

/// <summary>Traffic weights are whole per-mille (0..1000), so 0.1% steps are exact and two weights always sum to 1000.</summary>
public static class Weights
{
    public const int Total = 1000;

    /// <summary>"2.5%" for 25 per mille.</summary>
    public static string Percent(int perMille) => (perMille / 10.0).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>Replicas needed to carry <paramref name="perMille"/> of the load of <paramref name="total"/> replicas, rounded up.</summary>
    internal static int ReplicasFor(int total, int perMille) => (int)(((long)total * perMille + Total - 1) / Total);
}
