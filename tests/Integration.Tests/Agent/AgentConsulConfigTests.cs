using Bollard.Agent;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The consul block of the agent config and the CONSUL_* environment variables: the block wins, field by field.</summary>
public sealed class AgentConsulConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bollard-consul-config-");

    public AgentConsulConfigTests()
    {
        foreach (var file in new[] { "ca.pem", "env-ca.pem", "client.pem", "client-key.pem", "env-client.pem", "env-client-key.pem", "token", "env-token" })
        {
            File.WriteAllText(Path.Combine(_dir.FullName, file), "x");
            File.SetUnixFileMode(Path.Combine(_dir.FullName, file), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private string ConfigFile => Path.Combine(_dir.FullName, "agent.yaml");

    [Fact]
    public void Without_a_consul_block_the_environment_does_not_turn_consul_on()
    {
        var config = Parse("zone: a\n", (ConsulEnvironment.Address, "10.0.0.1:8500"), (ConsulEnvironment.TokenVariable, "t"));

        Assert.Null(config.ConsulAddress);
        Assert.False(config.ConsulTokenFromEnvironment);
    }

    [Fact]
    public void The_address_comes_from_the_block_then_CONSUL_HTTP_ADDR_then_the_local_agent()
    {
        Assert.Equal(new Uri("http://10.0.0.9:8500"), Parse("consul: {address: http://10.0.0.9:8500}\n", (ConsulEnvironment.Address, "10.0.0.1:8500")).ConsulAddress);
        Assert.Equal(new Uri("https://10.0.0.1:8501"), Parse("consul: {}\n", (ConsulEnvironment.Address, "10.0.0.1:8501"), (ConsulEnvironment.Ssl, "true")).ConsulAddress);
        Assert.Equal(ConsulOptions.DefaultAddress, Parse("consul: {}\n").ConsulAddress);
    }

    [Fact]
    public void The_token_comes_from_tokenFile_then_CONSUL_HTTP_TOKEN_FILE_then_CONSUL_HTTP_TOKEN()
    {
        var token = (ConsulEnvironment.TokenVariable, "secret-token");
        var tokenFile = (ConsulEnvironment.TokenFile, Path.Combine(_dir.FullName, "env-token"));

        var fromBlock = Parse("consul: {tokenFile: token}\n", tokenFile, token);
        var fromFileVariable = Parse("consul: {}\n", tokenFile, token);
        var fromVariable = Parse("consul: {}\n", token);

        Assert.Equal((Path.Combine(_dir.FullName, "token"), false), (fromBlock.ConsulTokenFile, fromBlock.ConsulTokenFromEnvironment));
        Assert.Equal((Path.Combine(_dir.FullName, "env-token"), false), (fromFileVariable.ConsulTokenFile, fromFileVariable.ConsulTokenFromEnvironment));
        Assert.Equal(((string?)null, true), (fromVariable.ConsulTokenFile, fromVariable.ConsulTokenFromEnvironment));
        Assert.DoesNotContain("secret-token", fromVariable.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_file_from_CONSUL_HTTP_TOKEN_FILE_open_to_others_is_refused_naming_the_variable()
    {
        var token = Path.Combine(_dir.FullName, "env-token");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var error = Assert.Throws<SpecValidationException>(() => Parse("consul: {}\n", (ConsulEnvironment.TokenFile, token)));

        Assert.Contains($"{token} (from CONSUL_HTTP_TOKEN_FILE) holds a secret", error.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {token}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_files_come_from_the_block_relative_to_it_or_from_the_environment_as_a_pair()
    {
        var env = new[]
        {
            (ConsulEnvironment.CaCert, Path.Combine(_dir.FullName, "env-ca.pem")),
            (ConsulEnvironment.ClientCert, Path.Combine(_dir.FullName, "env-client.pem")),
            (ConsulEnvironment.ClientKey, Path.Combine(_dir.FullName, "env-client-key.pem")),
        };

        var block = Parse("consul: {address: https://127.0.0.1:8501, caFile: ca.pem, certFile: client.pem, keyFile: client-key.pem}\n", env);
        var mixed = Parse("consul: {address: https://127.0.0.1:8501, caFile: ca.pem}\n", env);

        Assert.Equal("ca.pem,client.pem,client-key.pem", Names(block));
        Assert.Equal("ca.pem,env-client.pem,env-client-key.pem", Names(mixed));
    }

    [Fact]
    public void The_environments_tls_files_are_ignored_for_an_http_address_but_the_blocks_are_an_error()
    {
        var ignored = Parse("consul: {address: http://127.0.0.1:8500}\n", (ConsulEnvironment.CaCert, "/nowhere/ca.pem"));
        var error = Assert.Throws<SpecValidationException>(() => Parse("consul:\n  address: http://127.0.0.1:8500\n  caFile: ca.pem\n"));

        Assert.Null(ignored.ConsulCaFile);
        Assert.Contains("agent.yaml:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("consul.caFile: is for HTTPS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_name_the_field_or_the_variable()
    {
        Assert.Contains("consul.caFile: file", Assert.Throws<SpecValidationException>(() => Parse("consul: {address: https://127.0.0.1:8501, caFile: none.pem}\n")).Message, StringComparison.Ordinal);
        Assert.Contains("set certFile and keyFile together", Assert.Throws<SpecValidationException>(() => Parse("consul: {address: https://127.0.0.1:8501, certFile: client.pem}\n")).Message, StringComparison.Ordinal);
        Assert.Contains("CONSUL_HTTP_ADDR must be", Assert.Throws<SpecValidationException>(() => Parse("consul: {}\n", (ConsulEnvironment.Address, "unix:///run/consul.sock"))).Message, StringComparison.Ordinal);
        Assert.Contains("CONSUL_CACERT: file", Assert.Throws<SpecValidationException>(() => Parse("consul: {address: https://127.0.0.1:8501}\n", (ConsulEnvironment.CaCert, "/nowhere/ca.pem"))).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Names(AgentConfig config) => string.Join(",", new[] { config.ConsulCaFile, config.ConsulCertFile, config.ConsulKeyFile }.Select(Path.GetFileName));

    private AgentConfig Parse(string yaml, params (string Name, string Value)[] environment) =>
        AgentConfigLoader.Parse(ConfigFile, yaml, name => environment.FirstOrDefault(e => e.Name == name).Value);
}
