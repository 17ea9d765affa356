using System.Collections.Immutable;
using System.Globalization;
using Bollard.Discovery;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>How a spec becomes a container request and a running replica becomes a catalog registration.</summary>
internal static class ReplicaRequests
{
    /// <summary>The catalog id of a replica: unique across hosts because container ids are.</summary>
    public static string InstanceId(ObservedContainer container) => $"{container.Service}-{container.ShortId}";

    public static Uri HealthUrl(ObservedContainer container, HealthCheckSpec health) =>
        new($"http://{container.HostAddress}:{container.HostPort}{health.Path}");

    public static ServiceRegistration Registration(ServiceSpec spec, ManagedHost host, ObservedContainer container, TimeSpan deregisterCriticalAfter)
    {
        var address = host.AdvertiseAddress ?? container.HostAddress;
        var check = new HealthCheckRegistration(
            new Uri($"http://{address}:{container.HostPort}{spec.Health.Path}"),
            spec.Health.Interval,
            spec.Health.Timeout,
            deregisterCriticalAfter,
            // The same count the scaler needs before replacing a replica: one slow answer keeps it in routing.
            FailuresBeforeCritical: spec.Health.UnhealthyThreshold);
        return new ServiceRegistration(InstanceId(container), spec.Name, address, container.HostPort!.Value, container.Zone, container.Version, check);
    }

    public static ContainerCreateRequest Create(ServiceSpec spec, ManagedHost host, string cluster, string uniqueSuffix)
    {
        var version = spec.Version;
        var labels = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [ContainerLabels.ManagedBy] = ContainerLabels.ManagedByValue,
            [ContainerLabels.Cluster] = cluster,
            [ContainerLabels.Service] = spec.Name,
            [ContainerLabels.Version] = version,
            [ContainerLabels.Zone] = host.Zone,
            [ContainerLabels.ContainerPort] = spec.Port.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.Image] = spec.Image,
            [ContainerLabels.Settings] = Deployments.VersionSettings.Label(spec),
        });

        // Every replica learns who it is; apps may ignore it.
        var env = spec.Env.Values.ToImmutableDictionary()
            .SetItem("BOLLARD_SERVICE", spec.Name)
            .SetItem("BOLLARD_VERSION", version)
            .SetItem("BOLLARD_ZONE", host.Zone)
            .SetItem("BOLLARD_HOST", host.Name);
        // From the pinned image: a tag moved since the spec was applied must not change what this version runs.
        return new ContainerCreateRequest($"bollard-{cluster}-{spec.Name}-{version[..6]}-{uniqueSuffix}", spec.PinnedImage ?? spec.Image, spec.Port, host.PublishAddress)
        {
            Labels = labels,
            Environment = env,
            EnvFiles = [.. spec.Env.Files],
            CpuLimit = spec.Resources.Cpus,
            MemoryLimitBytes = spec.Resources.MemoryBytes,
            PidsLimit = spec.Resources.Pids,
            User = spec.Security.User,
            ReadOnlyRootFilesystem = spec.Security.ReadOnlyRootFilesystem,
            AddCapabilities = [.. spec.Security.AddCapabilities],
            Tmpfs = spec.Security.Tmpfs.ToImmutableDictionary(t => t.Path, t => t.SizeBytes, StringComparer.Ordinal),
        };
    }
}
