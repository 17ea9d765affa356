using System.Collections.Immutable;
using System.Text;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Cluster;

/// <summary>Reports and commands cross hosts as JSON in Consul KV: they must come back as they were sent.</summary>
public sealed class ClusterWireTests
{
    [Fact]
    public void A_host_report_round_trips_with_its_containers_and_labels()
    {
        var container = HostRosterTests.Container("abc123") with
        {
            Labels = ImmutableDictionary<string, string>.Empty.Add(ContainerLabels.Service, "web").Add(ContainerLabels.Settings, "{\"image\":\"x\"}"),
        };
        var sample = new ContainerCpuSample(123_456_789_000, new DateTimeOffset(2026, 1, 1, 0, 0, 1, 500, TimeSpan.Zero));
        var report = new HostReport("h2", "zone-b", "10.0.0.2", "192.0.2.2", "h2/1234abcd", 42, [container], null)
        {
            Cpu = new Dictionary<string, ContainerCpuSample> { [container.Id] = sample },
        };

        var back = ClusterJson.Read<HostReport>(ClusterJson.Write(report))!;

        Assert.Equal(report.Host, back.Host);
        Assert.Equal(report.AdvertiseAddress, back.AdvertiseAddress);
        Assert.Equal(42, back.Sequence);
        var read = Assert.Single(back.Containers);
        Assert.Equal(container with { Labels = read.Labels }, read);
        Assert.Equal(container.Labels.OrderBy(l => l.Key), read.Labels.OrderBy(l => l.Key));
        Assert.Equal(sample, back.Cpu![container.Id]);
    }

    [Fact]
    public void A_traffic_report_round_trips_under_one_key_per_agent()
    {
        var report = new TrafficReport("h2/1234abcd", 7, new Dictionary<string, ServiceTraffic>
        {
            ["web"] = new(120.5, 3, 41.2)
            {
                Versions = new Dictionary<string, Bollard.Scaler.Rollouts.TrafficStats> { ["v2"] = new(600, 3, 95.5) },
                VersionWindow = TimeSpan.FromSeconds(10),
            },
            ["quiet"] = new(0.5, 0, null),
        })
        { Busy = ["web-1a2b3c"] };

        var back = ClusterJson.Read<TrafficReport>(ClusterJson.Write(report))!;

        Assert.Equal((report.Agent, report.Sequence), (back.Agent, back.Sequence));
        Assert.Equal((120.5, 3d, 41.2), (back.Services["web"].RequestsPerSecond, back.Services["web"].InFlight, back.Services["web"].P95LatencyMs!.Value));
        Assert.Equal(new Bollard.Scaler.Rollouts.TrafficStats(600, 3, 95.5), back.Services["web"].Versions!["v2"]);
        Assert.Equal(TimeSpan.FromSeconds(10), back.Services["web"].VersionWindow);
        Assert.Equal(report.Services["quiet"], back.Services["quiet"]);
        Assert.Equal(report.Busy, back.Busy);
        Assert.Empty(ClusterJson.Read<TrafficReport>("{\"agent\":\"a\",\"sequence\":1,\"services\":{}}"u8.ToArray())!.Busy);
        // The agent's name holds a '/': escaped, so the key sits directly under the prefix.
        Assert.Equal("bollard/c1/traffic/h2%2F1234abcd", ClusterKeys.Traffic("c1", report.Agent));
    }

    [Fact]
    public void A_create_command_round_trips_with_everything_the_engine_needs()
    {
        var request = new ContainerCreateRequest("bollard-c-web-abcdef-123456", "sha256:feed", 8080, "127.0.0.1")
        {
            Labels = ImmutableDictionary<string, string>.Empty.Add(ContainerLabels.Zone, "zone-b"),
            Environment = ImmutableDictionary<string, string>.Empty.Add("BOLLARD_HOST", "h2"),
            CpuLimit = 0.5,
            MemoryLimitBytes = 256L * 1024 * 1024,
        };
        var entry = new HostCommandEntry(new HostCommand("id1", HostCommandKind.Create) { Create = request }, null);

        var back = ClusterJson.Read<HostCommandEntry>(ClusterJson.Write(entry))!;

        Assert.Null(back.Result);
        Assert.Equal(HostCommandKind.Create, back.Command.Kind);
        var sent = back.Command.Create!;
        Assert.Equal((request.Name, request.Image, request.ContainerPort, request.PublishAddress, request.CpuLimit, request.MemoryLimitBytes), (sent.Name, sent.Image, sent.ContainerPort, sent.PublishAddress, sent.CpuLimit, sent.MemoryLimitBytes));
        Assert.Equal("zone-b", sent.Labels[ContainerLabels.Zone]);
        Assert.Equal("h2", sent.Environment["BOLLARD_HOST"]);
    }

    [Fact]
    public void A_register_command_and_its_result_round_trip()
    {
        var check = new HealthCheckRegistration(new Uri("http://127.0.0.1:30000/health"), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), FailuresBeforeCritical: 3);
        var registration = new ServiceRegistration("web-abc", "web", "127.0.0.1", 30000, "zone-b", "v1", check);
        var entry = new HostCommandEntry(
            new HostCommand("id2", HostCommandKind.Register) { Registration = registration },
            HostCommandResult.Failed(HostCommandFailure.Unavailable, "Consul is down"));

        var back = ClusterJson.Read<HostCommandEntry>(ClusterJson.Write(entry))!;

        Assert.Equal(registration with { Tags = back.Command.Registration!.Tags }, back.Command.Registration);
        Assert.Equal(HostCommandFailure.Unavailable, back.Result!.Failure);
        Assert.False(back.Result.Succeeded);
        Assert.Equal("Consul is down", back.Result.Error);
    }

    [Fact]
    public void A_hosts_images_round_trip_and_a_change_of_them_is_a_change_of_state()
    {
        var images = new ImageInventory(["sha256:aaa", "127.0.0.1:5055/app@sha256:bbb", "app:v1"]);
        var report = new HostReport("h2", "zone-b", "10.0.0.2", null, "h2/1", 1, [], null) { Images = images };

        var back = ClusterJson.Read<HostReport>(ClusterJson.Write(report))!;

        Assert.Equal(images, back.Images);
        Assert.True(back.Images!.Holds("127.0.0.1:5055/app@sha256:bbb"));
        Assert.True(report.SameStateAs(back with { Sequence = 2 }));
        Assert.False(report.SameStateAs(back with { Images = new ImageInventory([.. images.References, "sha256:ccc"]) }));
        Assert.Null(ClusterJson.Read<HostReport>(ClusterJson.Write(report with { Images = null }))!.Images); // an agent that does not report them
    }

    [Fact]
    public void A_pull_command_its_progress_and_its_result_round_trip()
    {
        var pulled = new ImagePullResult("127.0.0.1:5055/app@sha256:bbb", TimeSpan.FromSeconds(3.5), 4, 3, 12_000_000);
        var entry = new HostCommandEntry(new HostCommand("id3", HostCommandKind.Pull) { Image = pulled.Reference }, HostCommandResult.Done() with { Pulled = pulled })
        {
            Progress = new ImagePullProgress(4, 2, 6_000_000, 12_000_000),
        };

        var back = ClusterJson.Read<HostCommandEntry>(ClusterJson.Write(entry))!;

        Assert.Equal(("pull 127.0.0.1:5055/app@sha256:bbb", HostCommandKind.Pull), (back.Command.ToString(), back.Command.Kind));
        Assert.Equal(pulled, back.Result!.Pulled);
        Assert.Equal(entry.Progress, back.Progress);
        Assert.Equal("2 of 4 layers, 6.0 of 12.0 MB downloaded", back.Progress!.ToString());
    }

    [Fact]
    public void Enums_travel_by_name()
    {
        var text = Encoding.UTF8.GetString(ClusterJson.Write(new HostCommand("id", HostCommandKind.Deregister) { InstanceId = "web-abc" }));

        Assert.Contains("\"kind\":\"deregister\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"command\":{\"id\":\"x\",\"kind\":\"explode\"}}")]
    public void An_unreadable_value_is_null_not_an_exception(string text) =>
        Assert.Null(ClusterJson.Read<HostCommandEntry>(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("bollard/c1/hosts/h2", "h2")]
    [InlineData("bollard/c1/hosts/", null)]
    [InlineData("bollard/c1/hosts/h2/extra", null)]
    [InlineData("bollard/c2/hosts/h2", null)]
    public void Host_keys_name_their_host(string key, string? host) =>
        Assert.Equal(host, ClusterKeys.HostOf("c1", key));

    [Fact]
    public void A_hosts_command_prefix_does_not_cover_a_host_whose_name_extends_it() =>
        Assert.False(ClusterKeys.Command("c1", "h10", "x").StartsWith(ClusterKeys.CommandsPrefix("c1", "h1"), StringComparison.Ordinal));
}
