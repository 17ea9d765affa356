using System.Globalization;

namespace Bollard.Scaler.Autoscaling;

/// <summary>Number formatting for reasons: short, invariant, no trailing zeros.</summary>
internal static class Numbers
{
    public static string Fmt(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Fmt(TimeSpan value) => Specs.Durations.Format(value);
}
