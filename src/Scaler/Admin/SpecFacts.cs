using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>The facts of a spec the admin API shows, read in one place so that the spec's shape can evolve here only.</summary>
public static class SpecFacts
{
    /// <summary>The replica count the service runs when nothing scales it (the low end of its range).</summary>
    public static int DesiredCount(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Replicas.Min;
    }

    /// <summary>The count the service will run with <paramref name="running"/> replicas now: clamped into its range.</summary>
    public static int TargetCount(ServiceSpec spec, int running)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Replicas.Clamp(running);
    }

    /// <summary>"3", or a range such as "2..10" for an autoscaled service.</summary>
    public static string ReplicasText(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Replicas.ToString();
    }
}
