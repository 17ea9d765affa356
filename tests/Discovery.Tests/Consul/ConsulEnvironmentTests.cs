using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

/// <summary>The CONSUL_* variables, read as the consul CLI reads them.</summary>
public sealed class ConsulEnvironmentTests
{
    [Theory]
    [InlineData("127.0.0.1:8500", null, "http://127.0.0.1:8500/")]
    [InlineData("127.0.0.1:8501", "true", "https://127.0.0.1:8501/")]
    [InlineData("consul.example:8501", "1", "https://consul.example:8501/")]
    [InlineData("127.0.0.1:8500", "false", "http://127.0.0.1:8500/")]
    [InlineData("https://consul.example:8501", null, "https://consul.example:8501/")]
    [InlineData("http://10.0.0.1:8500", "true", "http://10.0.0.1:8500/")]
    [InlineData("  127.0.0.1:8500 ", null, "http://127.0.0.1:8500/")]
    public void The_address_takes_a_scheme_from_CONSUL_HTTP_SSL_when_it_has_none(string address, string? ssl, string expected)
    {
        var settings = ConsulEnvironment.Read(Variables((ConsulEnvironment.Address, address), (ConsulEnvironment.Ssl, ssl)));

        Assert.Equal(new Uri(expected), settings.Address);
        Assert.Empty(settings.Problems);
    }

    [Theory]
    [InlineData("unix:///var/run/consul.sock", null, "CONSUL_HTTP_ADDR")]
    [InlineData("ftp://127.0.0.1:8500", null, "CONSUL_HTTP_ADDR")]
    [InlineData("127.0.0.1:8500", "maybe", "CONSUL_HTTP_SSL")]
    public void Unusable_values_are_named(string address, string? ssl, string variable)
    {
        var settings = ConsulEnvironment.Read(Variables((ConsulEnvironment.Address, address), (ConsulEnvironment.Ssl, ssl)));

        Assert.Contains(settings.Problems, p => p.StartsWith(variable, StringComparison.Ordinal));
    }

    [Fact]
    public void Files_are_taken_as_given_and_the_token_is_only_said_to_be_there()
    {
        var variables = Variables(
            (ConsulEnvironment.TokenVariable, "5d3f0b4e-secret"),
            (ConsulEnvironment.TokenFile, "/etc/bollard/consul.token"),
            (ConsulEnvironment.CaCert, "/etc/consul/ca.pem"),
            (ConsulEnvironment.ClientCert, "/etc/consul/client.pem"),
            (ConsulEnvironment.ClientKey, "/etc/consul/client-key.pem"));

        var settings = ConsulEnvironment.Read(variables);

        Assert.Equal(new ConsulEnvironmentSettings(null, "/etc/bollard/consul.token", true, "/etc/consul/ca.pem", "/etc/consul/client.pem", "/etc/consul/client-key.pem", []), settings with { Problems = [] });
        Assert.DoesNotContain("5d3f0b4e-secret", settings.ToString(), StringComparison.Ordinal);
        Assert.Equal("5d3f0b4e-secret", ConsulEnvironment.Token(variables));
    }

    [Fact]
    public void Empty_variables_count_as_unset()
    {
        var settings = ConsulEnvironment.Read(Variables((ConsulEnvironment.Address, ""), (ConsulEnvironment.TokenVariable, " "), (ConsulEnvironment.CaCert, "")));

        Assert.Equal((null, false, null), (settings.Address, settings.HasToken, settings.CaFile));
        Assert.Null(ConsulEnvironment.Token(Variables((ConsulEnvironment.TokenVariable, " "))));
    }

    private static Func<string, string?> Variables(params (string Name, string? Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
