using System.Globalization;

namespace Bollard.Discovery.Consul;

/// <summary>Durations in the Go form Consul parses ("10s", "250ms").</summary>
internal static class ConsulDuration
{
    public static string Format(TimeSpan value)
    {
        var milliseconds = (long)Math.Ceiling(value.TotalMilliseconds);
        return milliseconds % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000}s")
            : string.Create(CultureInfo.InvariantCulture, $"{milliseconds}ms");
    }
}
