using Bollard.Balancer.LoadBalancing;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Tests.LoadBalancing;

public sealed class VersionCookieTests
{
    [Theory]
    [InlineData("bollard-version=v2", "v2")]
    [InlineData("a=1; bollard-version=v2; b=3", "v2")]
    [InlineData("a=1;bollard-version=\"v2\"", "v2")]
    [InlineData("xbollard-version=v1; bollard-version=v2", "v2")]
    [InlineData("bollard-versionx=v1", null)]
    [InlineData("", null)]
    public void Finds_a_cookie_by_exact_name(string header, string? expected)
    {
        var found = VersionCookie.TryFind(new StringValues(header), VersionCookie.PinCookie, out var value);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, value.ToString());
    }

    [Theory]
    [InlineData("v2", "bollard-sticky=v2; Path=/; HttpOnly; SameSite=Lax")]
    [InlineData("1.4.0-rc1", "bollard-sticky=1.4.0-rc1; Path=/; HttpOnly; SameSite=Lax")]
    [InlineData("a b", null)]
    [InlineData("a;b", null)]
    [InlineData("", null)]
    public void Sticky_cookies_are_set_only_for_cookie_safe_versions(string version, string? expected)
    {
        Assert.Equal(expected, VersionCookie.SetCookieFor(version));
    }
}
