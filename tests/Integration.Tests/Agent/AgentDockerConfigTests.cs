using Bollard.Agent;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The image fields of the agent config's docker block: the registry credentials file and the pull time limit.</summary>
public sealed class AgentDockerConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bollard-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Pulls_are_anonymous_and_bounded_by_5_minutes_unless_set()
    {
        var config = AgentConfigLoader.Parse(Path.Combine(_dir, "agent.yaml"), "zone: a\n");

        Assert.Null(config.RegistryAuthFile);
        Assert.Equal(TimeSpan.FromMinutes(5), config.PullTimeout);
    }

    [Fact]
    public void The_credentials_file_is_found_next_to_the_config_and_the_pull_time_limit_is_read()
    {
        File.WriteAllText(Path.Combine(_dir, "registry-auth.json"), """{"auths":{}}""");

        var config = AgentConfigLoader.Parse(Path.Combine(_dir, "agent.yaml"), "docker:\n  registryAuthFile: registry-auth.json\n  pullTimeout: 90s\n");

        Assert.Equal(Path.Combine(_dir, "registry-auth.json"), config.RegistryAuthFile);
        Assert.Equal(TimeSpan.FromSeconds(90), config.PullTimeout);
    }

    [Fact]
    public void A_missing_credentials_file_and_a_bad_time_limit_are_located()
    {
        var error = Assert.Throws<SpecValidationException>(() =>
            AgentConfigLoader.Parse(Path.Combine(_dir, "agent.yaml"), "docker:\n  registryAuthFile: nowhere.json\n  pullTimeout: 0s\n"));

        Assert.Contains("agent.yaml:2", error.Message, StringComparison.Ordinal);
        Assert.Contains($"file {Path.Combine(_dir, "nowhere.json")} does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("pullTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credentials_file_that_is_not_a_docker_config_stops_the_start_without_quoting_it()
    {
        var file = Path.Combine(_dir, "registry-auth.json");
        File.WriteAllText(file, "user: secret-value\n");

        var result = new DockerOptionsValidator().Validate(null, new DockerOptions { RegistryAuthFile = file });

        Assert.True(result.Failed);
        Assert.Contains($"Docker:RegistryAuthFile: {file} is not JSON", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", result.FailureMessage, StringComparison.Ordinal);
    }
}
