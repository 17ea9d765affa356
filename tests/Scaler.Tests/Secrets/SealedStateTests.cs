using System.Collections.Immutable;
using System.Text;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Tests.Secrets;

/// <summary>What leaves the process for the state store or a container's labels holds no value in clear text.</summary>
public sealed class SealedStateTests : IDisposable
{
    private const string Secret = "s3cr3t-value-4711";
    private static readonly SecretKey Key = SecretKey.Ephemeral();

    private static readonly ServiceSpec Web = EnvDigests.Apply(
        new ServiceSpec
        {
            Name = "web",
            Image = "app:v1",
            PinnedImage = "sha256:one",
            Port = 8080,
            Env = ServiceEnvironment.Of([KeyValuePair.Create("DB_PASSWORD", Secret)], ["/etc/bollard/web.env"]),
            Security = new SecuritySpec { User = "1000", ReadOnlyRootFilesystem = true, Tmpfs = [new TmpfsMount("/tmp", 1 << 20)] },
        },
        Key);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-sealed-{Guid.NewGuid():N}");
    private readonly LocalStateStore _state;

    public SealedStateTests() => _state = new LocalStateStore(_directory);

    public void Dispose()
    {
        _state.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_deployment_record_keeps_its_values_sealed_and_reads_back_equal()
    {
        var store = new DeploymentStore(_state, Key);
        var deployment = new Deployment(Web, New: Web with { Image = "app:v2", PinnedImage = "sha256:two" });

        Assert.NotNull(await store.SaveAsync("web", deployment, 0, default));

        var stored = Encoding.UTF8.GetString((await _state.GetAsync(StateKeys.Rollout("web"), default))!.Value.Span);
        Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
        Assert.Contains(EnvSealing.Prefix, stored, StringComparison.Ordinal);
        var read = await new DeploymentStore(_state, Key).LoadAsync("web", default);
        Assert.Equal(deployment, read);
        Assert.Equal((Web.Version, Web.Env.Digest), (read!.Stable.Version, read.Stable.Env.Digest));
        await Assert.ThrowsAsync<StateStoreUnavailableException>(() => new DeploymentStore(_state, SecretKey.Ephemeral()).LoadAsync("web", default));
    }

    [Fact]
    public void The_settings_label_names_the_variables_and_gives_the_version_back_without_a_value()
    {
        var label = VersionSettings.Label(Web);
        Assert.DoesNotContain(Secret, label, StringComparison.Ordinal);
        Assert.Contains("DB_PASSWORD", label, StringComparison.Ordinal);

        var container = new ObservedContainer("c1", "web-1", "web", Web.Version, "zone-a", ContainerRunState.Running, "127.0.0.1", 30000, DateTimeOffset.UnixEpoch)
        {
            Labels = ImmutableDictionary<string, string>.Empty.Add(ContainerLabels.Settings, label),
        };

        // The desired spec moved to another image with the same values: the running version is known again, values included.
        var desired = Web with { Image = "app:v2", PinnedImage = "sha256:two", Security = new SecuritySpec() };
        var restored = VersionSettings.Restore(desired, container);
        Assert.NotNull(restored);
        Assert.Equal((Web.Version, Web.Security, Secret), (restored.Version, restored.Security, restored.Env.Values["DB_PASSWORD"]));

        // Other values: the label cannot say what the running ones are, so it says nothing.
        var changed = EnvDigests.Apply(desired with { Env = desired.Env.With("DB_PASSWORD", "other") }, Key);
        Assert.Null(VersionSettings.Restore(changed, container));
    }
}
