using Bollard.Discovery.Consul;
using Bollard.Discovery.Embedded;
using Bollard.Discovery.Tests.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bollard.Discovery.Tests;

public sealed class DiscoveryServiceCollectionExtensionsTests
{
    [Fact]
    public async Task Embedded_catalog_is_the_default()
    {
        await using var services = new ServiceCollection().AddLogging().AddDiscovery().BuildServiceProvider();

        Assert.IsType<EmbeddedServiceCatalog>(services.GetRequiredService<IServiceCatalog>());
    }

    [Fact]
    public async Task Consul_catalog_when_configured()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddDiscovery(o => o.UseConsul(new Uri("http://127.0.0.1:8500")))
            .BuildServiceProvider();

        Assert.IsType<ConsulServiceCatalog>(services.GetRequiredService<IServiceCatalog>());
        Assert.NotNull(services.GetRequiredService<ConsulKeyValueStore>());
        Assert.NotNull(services.GetRequiredService<ConsulSessions>());
    }

    [Fact]
    public async Task Pieces_registered_first_are_kept()
    {
        var prober = new FakeHealthProber();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHealthProber>(prober)
            .AddDiscovery()
            .BuildServiceProvider();

        Assert.Same(prober, services.GetRequiredService<IHealthProber>());
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:8500", "absolute http(s) URI")]
    [InlineData("/relative", "absolute http(s) URI")]
    public async Task Invalid_Consul_options_fail_with_a_clear_message(string address, string expected)
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddDiscovery(o => o.UseConsul(new Uri(address, UriKind.RelativeOrAbsolute)))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DiscoveryOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_and_token_file_together_are_rejected_and_the_token_is_never_printed()
    {
        var options = new ConsulOptions { Token = "s3cr3t", TokenFile = "/etc/bollard/token", BlockingWait = TimeSpan.FromMinutes(11) };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("only one", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("BlockingWait", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cr3t", options.ToString(), StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain("s3cr3t", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Token_is_read_from_the_token_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");

            Assert.Equal("from-file", new ConsulOptions { TokenFile = file }.ReadToken());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
