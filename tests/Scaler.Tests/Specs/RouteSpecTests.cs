using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Specs;

public sealed class RouteSpecTests
{
    private const string Head = "name: web\nimage: app:1\nport: 80\n";

    [Fact]
    public void Reads_the_per_route_timeout_concurrency_limit_and_slow_start()
    {
        var spec = Load(Head + "route:\n  pathPrefix: /api\n  timeout: 1500ms\n  maxConcurrentRequests: 200\n  slowStart: 45s\n");

        Assert.Equal(new RouteSpec(null, "/api") { Timeout = TimeSpan.FromMilliseconds(1500), MaxConcurrentRequests = 200, SlowStart = TimeSpan.FromSeconds(45) }, spec.Route);
        Assert.Equal(TimeSpan.Zero, Load(Head + "route: {pathPrefix: /api, slowStart: 0s}\n").Route!.SlowStart);
    }

    [Fact]
    public void Without_them_the_balancer_defaults_apply()
    {
        var route = Load(Head + "route: {pathPrefix: /api}\n").Route!;

        Assert.Null(route.Timeout);
        Assert.Null(route.MaxConcurrentRequests);
        Assert.Null(route.SlowStart);
    }

    [Theory]
    [InlineData("http1", RouteProtocol.Http1)]
    [InlineData("http2", RouteProtocol.Http2)]
    [InlineData("grpc", RouteProtocol.Grpc)]
    public void Reads_the_replicas_protocol_and_the_https_redirect(string protocol, RouteProtocol expected)
    {
        var route = Load(Head + $"route: {{pathPrefix: /api, protocol: {protocol}, httpsRedirect: true}}\n").Route!;

        Assert.Equal(expected, route.Protocol);
        Assert.True(route.HttpsRedirect);
        Assert.Equal(RouteProtocol.Http1, Load(Head + "route: {pathPrefix: /api}\n").Route!.Protocol);
        Assert.False(Load(Head + "route: {pathPrefix: /api}\n").Route!.HttpsRedirect);
    }

    [Theory]
    [InlineData("  protocol: http3\n", "web.yaml:6:13: route.protocol: 'http3' is not a protocol (http1")]
    [InlineData("  httpsRedirect: sometimes\n", "web.yaml:6:18: route.httpsRedirect:")]
    [InlineData("  timeout: soon\n", "web.yaml:6:12: route.timeout: must be a duration from 10ms to 1h")]
    [InlineData("  timeout: 5ms\n", "web.yaml:6:12: route.timeout: must be a duration from 10ms to 1h")]
    [InlineData("  timeout: 2h\n", "web.yaml:6:12: route.timeout: must be a duration from 10ms to 1h")]
    [InlineData("  maxConcurrentRequests: 0\n", "web.yaml:6:26: route.maxConcurrentRequests: must be a whole number from 1 to 10000000, got '0'")]
    [InlineData("  maxConcurrentRequests: many\n", "web.yaml:6:26: route.maxConcurrentRequests: must be a whole number from 1 to 10000000, got 'many'")]
    [InlineData("  slowStart: 2h\n", "web.yaml:6:14: route.slowStart: must be a duration from 0s to 1h")]
    [InlineData("  slowStart: -5s\n", "web.yaml:6:14: route.slowStart: must be a duration from 0s to 1h")]
    [InlineData("  maxConcurrent: 5\n", "web.yaml:6:3: route.maxConcurrent: unknown field (allowed here: ")]
    public void Bad_values_are_reported_with_file_line_and_field(string line, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + "route:\n  pathPrefix: /api\n" + line));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_the_rate_limit_with_burst_defaulting_to_the_rate()
    {
        Assert.Equal(new RateLimitSpec(10, 50, "X-Api-Key"), Load(Head + "route: {pathPrefix: /api, rateLimit: {perSecond: 10, burst: 50, header: X-Api-Key}}\n").Route!.RateLimit);
        Assert.Equal(new RateLimitSpec(5, 5), Load(Head + "route: {pathPrefix: /api, rateLimit: {perSecond: 5}}\n").Route!.RateLimit);
        Assert.Null(Load(Head + "route: {pathPrefix: /api}\n").Route!.RateLimit);
    }

    [Theory]
    [InlineData("  rateLimit: {burst: 5}\n", "route.rateLimit.perSecond:")]
    [InlineData("  rateLimit: {perSecond: 0}\n", "route.rateLimit.perSecond: must be a whole number from 1 to 1000000")]
    [InlineData("  rateLimit: {perSecond: 5, burst: 0}\n", "route.rateLimit.burst: must be a whole number from 1")]
    [InlineData("  rateLimit: {perSecond: 5, header: 'X Key'}\n", "route.rateLimit.header: 'X Key' is not a header name")]
    [InlineData("  rateLimit: {perSecond: 5, by: ip}\n", "route.rateLimit.by: unknown field")]
    public void A_bad_rate_limit_is_reported_with_its_field(string line, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + "route:\n  pathPrefix: /api\n" + line));

        Assert.Contains(error.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_services_on_the_same_route_clash_whatever_their_settings()
    {
        var error = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadTexts(
        [
            ("a.yaml", "name: a\nimage: app:1\nport: 80\nroute: {pathPrefix: /x, timeout: 1s}\n"),
            ("b.yaml", "name: b\nimage: app:1\nport: 80\nroute: {pathPrefix: /x, maxConcurrentRequests: 5}\n"),
        ]));

        Assert.Contains(error.Errors, e => e.Message.Contains("declare the same route", StringComparison.Ordinal));
    }

    [Fact]
    public void Changing_them_keeps_the_version()
    {
        var plain = Load(Head + "route: {pathPrefix: /api}\n");
        var tuned = Load(Head + "route: {pathPrefix: /api, timeout: 2s, maxConcurrentRequests: 10, slowStart: 30s, protocol: grpc, httpsRedirect: true, rateLimit: {perSecond: 3}}\n");

        Assert.Equal(plain.Version, tuned.Version);
    }

    private static ServiceSpec Load(string yaml) => Assert.Single(SpecLoader.LoadTexts([("web.yaml", yaml)]));
}
