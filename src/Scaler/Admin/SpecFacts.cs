using System.Globalization;
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

    /// <summary>Each field that differs, in words ("image: a -> b"); empty when the specs are the same.</summary>
    public static IReadOnlyList<string> Differences(ServiceSpec from, ServiceSpec to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var changes = new List<string>();
        void Compare<T>(string field, T a, T b, Func<T, string>? show = null)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                show ??= v => v?.ToString() ?? "none";
                changes.Add($"{field}: {show(a)} -> {show(b)}");
            }
        }

        Compare("version", from.Version, to.Version);
        Compare("image", from.Image, to.Image);
        Compare("pinned image", from.PinnedImage, to.PinnedImage);
        Compare("port", from.Port, to.Port);
        if (EnvChanges(from, to) is { Length: > 0 } env)
        {
            changes.Add($"env: {env}");
        }

        Compare("envFrom", from.Env.Files, to.Env.Files, f => f.Count == 0 ? "none" : string.Join(", ", f));
        Compare("resources", from.Resources, to.Resources, r => $"cpus {r.Cpus?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}, memory {r.MemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}, pids {r.Pids.ToString(CultureInfo.InvariantCulture)}");
        Compare("security", from.Security, to.Security, SecurityText);
        Compare("replicas", ReplicasText(from), ReplicasText(to));
        Compare("route", from.Route, to.Route, RouteText);
        Compare("health", from.Health, to.Health, h => $"{h.Path} every {h.Interval.TotalSeconds:0.###}s");
        Compare("drainTimeout", from.DrainTimeout, to.DrainTimeout);
        Compare("stopGracePeriod", from.StopGracePeriod, to.StopGracePeriod);
        return changes;
    }

    private static string RouteText(RouteSpec? route)
    {
        if (route is null)
        {
            return "none";
        }

        var text = $"host {route.Host ?? "*"}, pathPrefix {route.PathPrefix ?? "/"}";
        text += route.Timeout is { } timeout ? $", timeout {Durations.Format(timeout)}" : "";
        text += route.MaxConcurrentRequests is { } limit ? $", maxConcurrentRequests {limit.ToString(CultureInfo.InvariantCulture)}" : "";
        text += route.SlowStart is { } slowStart ? $", slowStart {Durations.Format(slowStart)}" : "";
        text += route.Protocol switch { RouteProtocol.Http2 => ", protocol http2", RouteProtocol.Grpc => ", protocol grpc", _ => "" };
        text += route.HttpsRedirect ? ", httpsRedirect" : "";
        text += route.RateLimit is { } rate ? $", rateLimit {rate.PerSecond.ToString(CultureInfo.InvariantCulture)}/s burst {rate.Burst.ToString(CultureInfo.InvariantCulture)} per {rate.Header ?? "client address"}" : "";
        return text;
    }

    private static string SecurityText(SecuritySpec security) =>
        $"user {security.User ?? "(the image's)"}, readOnlyRootFilesystem {(security.ReadOnlyRootFilesystem ? "true" : "false")}, " +
        $"capabilities [{string.Join(", ", security.AddCapabilities)}], tmpfs [{string.Join(", ", security.Tmpfs.Select(t => t.Path))}]";

    // Values are secrets: only the names of the variables that changed are shown, never a value.
    private static string EnvChanges(ServiceSpec from, ServiceSpec to)
    {
        var (a, b) = (from.Env.Values, to.Env.Values);
        var names = a.Keys.Union(b.Keys).Order(StringComparer.Ordinal);
        return string.Join(", ", names
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => !a.ContainsKey(k) ? $"{k} added" : !b.ContainsKey(k) ? $"{k} removed" : $"{k} changed"));
    }
}
