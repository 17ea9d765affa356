namespace Bollard.Scaler.Placement;

/// <summary>
/// The service's expected availability from its replicas per zone, by parallel redundancy: the service is down only
/// when every zone holding a healthy replica is down at once, so A = 1 - product over those zones of (1 - a), zones
/// failing independently with availability a each. Two zones of 0.99 give 0.9999, three give 0.999999; no zone with a
/// healthy replica gives 0. Replicas within a zone add nothing here: a zone is the unit that fails.
/// </summary>
public static class ExpectedAvailability
{
    public static double Compute(IReadOnlyDictionary<string, int> healthyPerZone, double zoneAvailability)
    {
        ArgumentNullException.ThrowIfNull(healthyPerZone);
        if (!(zoneAvailability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(zoneAvailability), zoneAvailability, "must be between 0 and 1");
        }

        var zones = healthyPerZone.Count(z => z.Value > 0);
        return zones == 0 ? 0 : 1 - Math.Pow(1 - zoneAvailability, zones);
    }
}
