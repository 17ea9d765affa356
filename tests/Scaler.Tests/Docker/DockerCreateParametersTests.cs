using System.Collections.Immutable;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Docker;

public sealed class DockerCreateParametersTests
{
    private static readonly ContainerCreateRequest Request = new("web-1", "sha256:one", 8080, "127.0.0.1")
    {
        Labels = ImmutableDictionary<string, string>.Empty.Add(ContainerLabels.ManagedBy, "bollard").Add(ContainerLabels.Cluster, "c"),
        Environment = ImmutableDictionary<string, string>.Empty.Add("MODE", "spec").Add("BOLLARD_SERVICE", "web"),
    };

    [Fact]
    public void Every_replica_runs_without_new_privileges_or_capabilities_and_with_a_pid_limit()
    {
        var host = DockerCreateParameters.From(Request, ImmutableDictionary<string, string>.Empty).HostConfig;

        Assert.Equal(["no-new-privileges"], host.SecurityOpt);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Empty(host.CapAdd);
        Assert.Equal(1024, host.PidsLimit);
        Assert.False(host.ReadonlyRootfs);
        Assert.Empty(host.Tmpfs);
    }

    [Fact]
    public void The_spec_confinement_and_env_files_are_passed_on_with_the_spec_values_winning()
    {
        var request = Request with
        {
            User = "1000:1000",
            ReadOnlyRootFilesystem = true,
            AddCapabilities = ["NET_BIND_SERVICE"],
            Tmpfs = ImmutableDictionary<string, long>.Empty.Add("/tmp", 1 << 20),
            PidsLimit = 64,
        };

        var parameters = DockerCreateParameters.From(request, new Dictionary<string, string> { ["MODE"] = "file", ["FROM_FILE"] = "1" });

        Assert.Equal("1000:1000", parameters.User);
        Assert.True(parameters.HostConfig.ReadonlyRootfs);
        Assert.Equal(["NET_BIND_SERVICE"], parameters.HostConfig.CapAdd);
        Assert.Equal("rw,nosuid,nodev,size=1048576", parameters.HostConfig.Tmpfs["/tmp"]);
        Assert.Equal(64, parameters.HostConfig.PidsLimit);
        Assert.Equal(["BOLLARD_SERVICE=web", "FROM_FILE=1", "MODE=spec"], parameters.Env.Order(StringComparer.Ordinal));
    }
}
