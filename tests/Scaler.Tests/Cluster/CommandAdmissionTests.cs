using System.Collections.Immutable;
using Bollard.Discovery;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Tests.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Cluster;

/// <summary>What a host's agent runs of what it finds under its command prefix: the controller's, within its cluster, of the spec set's images.</summary>
public sealed class CommandAdmissionTests
{
    private const string Cluster = "prod";
    private static readonly ManagedHost Host = new("h2", "zone-b", "10.0.0.2", null, new InMemoryRuntime(new FakeTimeProvider()));
    private static readonly ObservedContainer Replica = HostRosterTests.Container("0123456789abcdef") with { HostAddress = "10.0.0.2" };

    [Theory]
    [InlineData("leader", "leader", true)]
    [InlineData("other", "leader", false)]
    [InlineData(null, "leader", false)]
    [InlineData("", "leader", false)]
    [InlineData("leader", null, false)]
    [InlineData(null, null, false)]
    public void Only_the_session_holding_the_controller_lock_now_may_command(string? commandSession, string? leaderSession, bool admitted) =>
        Assert.Equal(admitted, CommandAdmission.SessionRefusal(commandSession, leaderSession) is null);

    [Fact]
    public void A_refusal_names_both_sessions()
    {
        var reason = CommandAdmission.SessionRefusal("s-forged", "s-leader")!;

        Assert.Contains("s-forged", reason, StringComparison.Ordinal);
        Assert.Contains("s-leader", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostCommandKind.Stop, "0123456789abcdef", true)]
    [InlineData(HostCommandKind.Remove, "0123456789abcdef", true)]
    [InlineData(HostCommandKind.Stop, "ffffffffffffffff", false)]
    [InlineData(HostCommandKind.Remove, "0123456789ab", false)]
    public void Stop_and_remove_touch_only_this_clusters_containers_on_this_host(HostCommandKind kind, string id, bool admitted) =>
        Assert.Equal(admitted, CommandAdmission.TargetRefusal(new HostCommand("c1", kind) { ContainerId = id }, Cluster, Host, [Replica]) is null);

    [Theory]
    [InlineData(HostCommandKind.Stop, "ffffffffffffffff", false, true)]
    [InlineData(HostCommandKind.Remove, "ffffffffffffffff", false, true)]
    [InlineData(HostCommandKind.Stop, "ffffffffffffffff", true, false)]
    [InlineData(HostCommandKind.Remove, "0123456789abcdef", false, false)]
    [InlineData(HostCommandKind.Deregister, "ffffffffffffffff", false, false)]
    public void A_stop_or_remove_of_a_container_gone_from_the_engine_is_done_already(HostCommandKind kind, string id, bool onEngine, bool done) =>
        Assert.Equal(done, CommandAdmission.AlreadyDone(new HostCommand("c1", kind) { ContainerId = id, InstanceId = id }, [Replica], onEngine));

    [Theory]
    [InlineData(HostCommandKind.Stop, null, "ffff", "ffff")]
    [InlineData(HostCommandKind.Deregister, "web-0123456789ab", null, "0123456789ab")]
    [InlineData(HostCommandKind.Deregister, "my-web-0123456789ab", null, "0123456789ab")]
    [InlineData(HostCommandKind.Deregister, "web-0123456789AB", null, null)]
    [InlineData(HostCommandKind.Deregister, "web-1", null, null)]
    [InlineData(HostCommandKind.Deregister, "0123456789ab", null, null)]
    [InlineData(HostCommandKind.Pull, null, null, null)]
    public void The_container_a_command_is_about(HostCommandKind kind, string? instance, string? container, string? expected) =>
        Assert.Equal(expected, CommandAdmission.ContainerOf(new HostCommand("c1", kind) { InstanceId = instance, ContainerId = container }));

    [Theory]
    [InlineData("web-0123456789ab", true)]
    [InlineData("worker-0123456789ab", true)]
    [InlineData("payments-0123456789ab", false)]
    [InlineData("web-1", false)]
    public void A_lingering_registration_is_one_of_a_service_of_the_spec_set(string instance, bool lingering) =>
        Assert.Equal(lingering, CommandAdmission.LingeringRegistration(new HostCommand("c1", HostCommandKind.Deregister) { InstanceId = instance }, Images()));

    [Theory]
    [InlineData("web-0123456789ab", true)]
    [InlineData("web-ffffffffffff", false)]
    [InlineData("payments-api-1", false)]
    public void Deregistering_takes_only_this_clusters_replicas_on_this_host(string instance, bool admitted) =>
        Assert.Equal(admitted, CommandAdmission.TargetRefusal(new HostCommand("c1", HostCommandKind.Deregister) { InstanceId = instance }, Cluster, Host, [Replica]) is null);

    [Fact]
    public void A_registration_is_admitted_only_as_the_controller_makes_it_for_a_replica_here()
    {
        var genuine = Registration("10.0.0.2", 30000, "http://10.0.0.2:30000/health");

        Assert.Null(CommandAdmission.TargetRefusal(Register(genuine), Cluster, Host, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(genuine with { Address = "203.0.113.9" }), Cluster, Host, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(genuine with { Port = 31000 }), Cluster, Host, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(genuine with { Service = "payments" }), Cluster, Host, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(genuine with { Version = "v9" }), Cluster, Host, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(Registration("10.0.0.2", 30000, "http://203.0.113.9:30000/health")), Cluster, Host, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(genuine), Cluster, Host, []));
    }

    [Fact]
    public void A_registration_uses_the_hosts_advertised_address_when_it_has_one()
    {
        var advertised = Host with { AdvertiseAddress = "192.0.2.2" };

        Assert.Null(CommandAdmission.TargetRefusal(Register(Registration("192.0.2.2", 30000, "http://192.0.2.2:30000/health")), Cluster, advertised, [Replica]));
        Assert.NotNull(CommandAdmission.TargetRefusal(Register(Registration("10.0.0.2", 30000, "http://10.0.0.2:30000/health")), Cluster, advertised, [Replica]));
    }

    [Theory]
    [InlineData(ContainerLabels.ManagedByValue, Cluster, "web", "10.0.0.2", true)]
    [InlineData(ContainerLabels.ManagedByValue, "staging", "web", "10.0.0.2", false)]
    [InlineData("someone-else", Cluster, "web", "10.0.0.2", false)]
    [InlineData(null, Cluster, "web", "10.0.0.2", false)]
    [InlineData(ContainerLabels.ManagedByValue, null, "web", "10.0.0.2", false)]
    [InlineData(ContainerLabels.ManagedByValue, Cluster, null, "10.0.0.2", false)]
    [InlineData(ContainerLabels.ManagedByValue, Cluster, "web", "0.0.0.0", false)]
    public void A_create_makes_only_a_container_of_this_cluster_published_where_the_host_publishes(string? managedBy, string? cluster, string? service, string publish, bool admitted)
    {
        var labels = ImmutableDictionary<string, string>.Empty;
        labels = managedBy is null ? labels : labels.Add(ContainerLabels.ManagedBy, managedBy);
        labels = cluster is null ? labels : labels.Add(ContainerLabels.Cluster, cluster);
        labels = service is null ? labels : labels.Add(ContainerLabels.Service, service);
        var create = new HostCommand("c1", HostCommandKind.Create) { Create = new ContainerCreateRequest("bollard-x", "app:v1", 8080, publish) { Labels = labels } };

        Assert.Equal(admitted, CommandAdmission.TargetRefusal(create, Cluster, Host, []) is null);
    }

    [Theory]
    [InlineData("web", "app:v1", true)]
    [InlineData("web", "sha256:1111", true)]
    [InlineData("web", "app:v0", true)]
    [InlineData("web", "reg.example/app@sha256:2222", true)]
    [InlineData("web", "app:v2", false)]
    [InlineData("web", "attacker/miner:latest", false)]
    [InlineData("worker", "app:v1", false)]
    public void A_create_brings_only_an_image_of_its_own_service(string service, string image, bool admitted)
    {
        var create = new HostCommand("c1", HostCommandKind.Create)
        {
            Create = new ContainerCreateRequest("bollard-x", image, 8080, "10.0.0.2") { Labels = ImmutableDictionary<string, string>.Empty.Add(ContainerLabels.Service, service) },
        };

        Assert.Equal(admitted, CommandAdmission.SpecSetRefusal(create, Images()) is null);
    }

    [Fact]
    public void A_create_confines_its_container_as_the_versions_replicas_are()
    {
        var hardened = Spec("web", "app:v1", "sha256:1111") with
        {
            Port = 8443,
            Env = ServiceEnvironment.Of([], ["/etc/web/env"]),
            Resources = new ResourcesSpec(0.5, 256 << 20) { Pids = 64 },
            Security = new SecuritySpec { User = "1000", ReadOnlyRootFilesystem = true, AddCapabilities = ["NET_BIND_SERVICE"], Tmpfs = [new TmpfsMount("/tmp", 1 << 20)] },
        };
        var versions = SpecSetVersions.From([hardened], null, []);
        var genuine = new ContainerCreateRequest("bollard-x", "sha256:1111", 8443, "10.0.0.2")
        {
            Labels = ImmutableDictionary<string, string>.Empty.Add(ContainerLabels.Service, "web"),
            EnvFiles = ["/etc/web/env"],
            CpuLimit = 0.5,
            MemoryLimitBytes = 256 << 20,
            PidsLimit = 64,
            User = "1000",
            ReadOnlyRootFilesystem = true,
            AddCapabilities = ["NET_BIND_SERVICE"],
            Tmpfs = ImmutableDictionary<string, long>.Empty.Add("/tmp", 1 << 20),
        };
        string? Refusal(ContainerCreateRequest create) => CommandAdmission.SpecSetRefusal(new HostCommand("c1", HostCommandKind.Create) { Create = create }, versions);

        Assert.Null(Refusal(genuine));
        Assert.NotNull(Refusal(genuine with { AddCapabilities = ["NET_BIND_SERVICE", "SYS_ADMIN"] }));
        Assert.NotNull(Refusal(genuine with { EnvFiles = ["/etc/web/env", "/etc/shadow"] }));
        Assert.NotNull(Refusal(genuine with { User = "root" }));
        Assert.NotNull(Refusal(genuine with { User = null }));
        Assert.NotNull(Refusal(genuine with { ReadOnlyRootFilesystem = false }));
        Assert.NotNull(Refusal(genuine with { Tmpfs = ImmutableDictionary<string, long>.Empty.Add("/tmp", 1 << 30) }));
        Assert.NotNull(Refusal(genuine with { Tmpfs = ImmutableDictionary<string, long>.Empty }));
        Assert.NotNull(Refusal(genuine with { PidsLimit = 100_000 }));
        Assert.NotNull(Refusal(genuine with { MemoryLimitBytes = null }));
        Assert.NotNull(Refusal(genuine with { CpuLimit = 4 }));
        Assert.NotNull(Refusal(genuine with { ContainerPort = 22 }));
    }

    [Theory]
    [InlineData("reg.example/app@sha256:2222", true)]
    [InlineData("reg.example/app@sha256:3333", true)]
    [InlineData("reg.example/app@sha256:9999", false)]
    public void A_pull_brings_only_an_image_some_service_names(string image, bool admitted) =>
        Assert.Equal(admitted, CommandAdmission.SpecSetRefusal(new HostCommand("c1", HostCommandKind.Pull) { Image = image }, Images()) is null);

    [Fact]
    public void Nothing_is_allowed_when_nothing_was_applied_nor_deployed() =>
        Assert.NotNull(CommandAdmission.SpecSetRefusal(new HostCommand("c1", HostCommandKind.Pull) { Image = "app:v1" }, SpecSetVersions.Empty));

    [Fact]
    public void Only_commands_that_need_them_read_containers_or_images()
    {
        Assert.Equal(
            [HostCommandKind.Stop, HostCommandKind.Remove, HostCommandKind.Register, HostCommandKind.Deregister],
            Enum.GetValues<HostCommandKind>().Where(k => CommandAdmission.NeedsContainers(new HostCommand("c", k))));
        Assert.Equal([HostCommandKind.Create, HostCommandKind.Pull], Enum.GetValues<HostCommandKind>().Where(k => CommandAdmission.NeedsSpecSet(new HostCommand("c", k))));
    }

    /// <summary>web applied as app:v1 (pinned to an image id); its record holds the rollout from app:v0 to a registry image.</summary>
    private static SpecSetVersions Images()
    {
        var applied = Spec("web", "app:v1", null);
        var record = new Deployment(Spec("web", "app:v0", "sha256:0000"), New: Spec("web", "reg.example/app:v2", "reg.example/app@sha256:2222"));
        var worker = new Deployment(Spec("worker", "reg.example/app:v3", "reg.example/app@sha256:3333"));
        return SpecSetVersions.From([applied], new Dictionary<string, ImagePin> { ["web"] = new("app:v1", "sha256:1111") }, [record, worker]);
    }

    private static ServiceSpec Spec(string name, string image, string? pin) => new() { Name = name, Image = image, PinnedImage = pin, Port = 8080 };

    private static ServiceRegistration Registration(string address, int port, string check) =>
        new("web-0123456789ab", "web", address, port, "zone-b", "v1", new HealthCheckRegistration(new Uri(check), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));

    private static HostCommand Register(ServiceRegistration registration) => new("c1", HostCommandKind.Register) { Registration = registration };
}
