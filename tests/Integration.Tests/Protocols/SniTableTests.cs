using Bollard.Agent.Tls;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>Which certificate a client gets for the name it sends (pure: names stand for certificates).</summary>
public sealed class SniTableTests
{
    private static readonly SniTable<string> Table = new(
    [
        (["default.test"], "default"),
        (["a.test", "www.a.test"], "a"),
        (["*.w.test"], "wildcard"),
        (["exact.w.test", "a.test"], "exact-w"),
    ]);

    [Theory]
    [InlineData("a.test", "a")]
    [InlineData("WWW.A.TEST", "a")]
    [InlineData("x.w.test", "wildcard")]
    [InlineData("exact.w.test", "exact-w")]
    [InlineData("w.test", "default")]
    [InlineData("y.x.w.test", "default")]
    [InlineData("unknown.test", "default")]
    [InlineData("", "default")]
    [InlineData(null, "default")]
    public void Exact_names_win_then_a_wildcard_of_one_label_else_the_first(string? serverName, string expected) =>
        Assert.Equal(expected, Table.Select(serverName));

    [Fact]
    public void A_name_two_certificates_cover_goes_to_the_one_listed_first() =>
        Assert.Equal("a", Table.Select("a.test"));

    [Fact]
    public void A_listener_without_certificates_is_refused() =>
        Assert.Throws<ArgumentException>(() => new SniTable<string>([]));
}
