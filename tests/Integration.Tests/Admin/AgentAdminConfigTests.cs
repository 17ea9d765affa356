using System.Net;
using Bollard.Agent;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Admin;

/// <summary>The admin fields of the agent config: the scalar form, the mapping form and the state directory.</summary>
public sealed class AgentAdminConfigTests
{
    [Fact]
    public void The_scalar_form_still_works_and_defaults_apply()
    {
        var config = AgentConfigLoader.Parse("/etc/bollard/agent.yaml", "admin: 127.0.0.1:9911\n");

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9911), config.Admin);
        Assert.Null(config.AdminTokenFile);
        Assert.Equal("/var/lib/bollard", config.StateDirectory);
    }

    [Fact]
    public void The_mapping_form_takes_listen_and_a_token_file_relative_to_the_config()
    {
        var config = AgentConfigLoader.Parse("/etc/bollard/agent.yaml", "admin:\n  listen: 0.0.0.0:9901\n  tokenFile: secrets/admin.token\n  allowPlainHttp: true\nstateDir: /srv/bollard\n");

        Assert.Equal(new IPEndPoint(IPAddress.Any, 9901), config.Admin);
        Assert.Equal("/etc/bollard/secrets/admin.token", config.AdminTokenFile);
        Assert.Equal("/srv/bollard", config.StateDirectory);
    }

    [Fact]
    public void An_unknown_admin_field_is_located()
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", "admin:\n  listen: 127.0.0.1:9901\n  token: x\n"));

        Assert.Contains("token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin:\n  listen: 127.0.0.1:9901\n  tokenFile: {0}\n", "0644", "admin.tokenFile")]
    [InlineData("admin:\n  listen: 127.0.0.1:9901\n  tokenFile: {0}\n", "0640", "admin.tokenFile")]
    [InlineData("consul:\n  address: http://127.0.0.1:8500\n  tokenFile: {0}\n", "0604", "consul.tokenFile")]
    public void A_token_file_open_to_its_group_or_others_is_refused_with_what_to_do(string yaml, string mode, string field)
    {
        var directory = Directory.CreateTempSubdirectory("bollard-token-").FullName;
        try
        {
            var token = Path.Combine(directory, "token");
            File.WriteAllText(token, "a-token-of-more-than-sixteen-characters\n");
            File.SetUnixFileMode(token, (UnixFileMode)Convert.ToInt32(mode, 8));

            var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse(Path.Combine(directory, "agent.yaml"), string.Format(System.Globalization.CultureInfo.InvariantCulture, yaml, token)));

            Assert.Contains(field, error.Message, StringComparison.Ordinal);
            Assert.Contains($"(mode {mode})", error.Message, StringComparison.Ordinal);
            Assert.Contains($"chmod 600 {token}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_private_token_file_is_accepted()
    {
        var directory = Directory.CreateTempSubdirectory("bollard-token-").FullName;
        try
        {
            var token = Path.Combine(directory, "token");
            File.WriteAllText(token, "a-token-of-more-than-sixteen-characters\n");
            File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var config = AgentConfigLoader.Parse(Path.Combine(directory, "agent.yaml"), $"admin:\n  listen: 127.0.0.1:9901\n  tokenFile: {token}\n");

            Assert.Equal(token, config.AdminTokenFile);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
