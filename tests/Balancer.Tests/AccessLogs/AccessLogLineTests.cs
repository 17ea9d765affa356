using System.Text.Json;
using Bollard.Balancer.AccessLogs;

namespace Bollard.Balancer.Tests.AccessLogs;

public sealed class AccessLogLineTests
{
    private static readonly AccessLogEntry Entry = new(
        new DateTimeOffset(2026, 12, 7, 18, 40, 5, 123, TimeSpan.Zero),
        "10.0.0.7",
        "GET",
        "/api/items?page=2",
        "HTTP/2",
        "shop.example.com",
        200,
        1234,
        TimeSpan.FromMilliseconds(15.4),
        TimeSpan.FromMilliseconds(12.2),
        "web",
        "web-abc123",
        "v7",
        "zone-a",
        1,
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "https://shop.example.com/",
        "curl/8.5");

    [Fact]
    public void Json_has_every_field()
    {
        using var line = JsonDocument.Parse(AccessLogLine.Format(Entry, AccessLogFormat.Json));
        var root = line.RootElement;

        Assert.Equal("2026-12-07T18:40:05.123Z", root.GetProperty("time").GetString());
        Assert.Equal("10.0.0.7", root.GetProperty("client").GetString());
        Assert.Equal("/api/items?page=2", root.GetProperty("target").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal(1234, root.GetProperty("bytes").GetInt64());
        Assert.Equal(0.015, root.GetProperty("duration").GetDouble());
        Assert.Equal(0.012, root.GetProperty("upstreamDuration").GetDouble());
        Assert.Equal("web", root.GetProperty("service").GetString());
        Assert.Equal("web-abc123", root.GetProperty("replica").GetString());
        Assert.Equal("v7", root.GetProperty("version").GetString());
        Assert.Equal("zone-a", root.GetProperty("zone").GetString());
        Assert.Equal(1, root.GetProperty("retries").GetInt32());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", root.GetProperty("traceId").GetString());
        Assert.Equal("curl/8.5", root.GetProperty("userAgent").GetString());
    }

    [Fact]
    public void A_request_that_reached_no_replica_has_nulls_in_json()
    {
        var shed = Entry with { Status = 503, Replica = null, Version = null, Zone = null, UpstreamDuration = null, Bytes = 0 };

        using var line = JsonDocument.Parse(AccessLogLine.Format(shed, AccessLogFormat.Json));

        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("replica").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("upstreamDuration").ValueKind);
    }

    [Fact]
    public void Combined_is_the_combined_log_format_then_bollards_fields()
    {
        Assert.Equal(
            "10.0.0.7 - - [07/Dec/2026:18:40:05 +0000] \"GET /api/items?page=2 HTTP/2\" 200 1234 \"https://shop.example.com/\" \"curl/8.5\" "
            + "service=web replica=web-abc123 version=v7 zone=zone-a duration=0.015 upstream=0.012 retries=1 trace=4bf92f3577b34da6a3ce929d0e0e4736",
            AccessLogLine.Format(Entry, AccessLogFormat.Combined));
    }

    [Fact]
    public void Common_has_no_referer_nor_user_agent_and_a_dash_for_no_bytes()
    {
        var line = AccessLogLine.Format(Entry with { Bytes = 0, Replica = null, UpstreamDuration = null }, AccessLogFormat.Common);

        Assert.StartsWith("10.0.0.7 - - [07/Dec/2026:18:40:05 +0000] \"GET /api/items?page=2 HTTP/2\" 200 - service=web replica=- ", line, StringComparison.Ordinal);
        Assert.Contains(" upstream=- ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("curl", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_and_control_characters_from_the_client_cannot_forge_fields_or_lines()
    {
        var line = AccessLogLine.Format(Entry with { UserAgent = "x\" \"y\nfake line", Target = "/a\"b" }, AccessLogFormat.Combined);

        Assert.DoesNotContain('\n', line);
        Assert.Contains("\"GET /a\\\"b HTTP/2\"", line, StringComparison.Ordinal);
        Assert.Contains("\"x\\\" \\\"y\\x0afake line\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_clf_time_keeps_its_offset()
    {
        Assert.Equal("07/Dec/2026:19:40:05 +0100", AccessLogLine.ClfTime(new DateTimeOffset(2026, 12, 7, 19, 40, 5, TimeSpan.FromHours(1))));
        Assert.Equal("07/Dec/2026:13:10:05 -0530", AccessLogLine.ClfTime(new DateTimeOffset(2026, 12, 7, 13, 10, 5, -TimeSpan.FromHours(5.5))));
    }

    [Theory]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null)] // all zeros: invalid by the spec
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", null)] // upper case: invalid by the spec
    [InlineData("garbage", null)]
    [InlineData(null, null)]
    public void The_trace_id_comes_from_a_valid_traceparent(string? traceparent, string? expected) =>
        Assert.Equal(expected, AccessLogLine.TraceIdOf(traceparent));

    [Fact]
    public void A_full_queue_drops_and_counts_instead_of_waiting()
    {
        var queue = new AccessLogQueue(new AccessLogOptions { Port = 80, QueueCapacity = 2 });

        Assert.True(queue.TryAdd(Entry));
        Assert.True(queue.TryAdd(Entry));
        Assert.False(queue.TryAdd(Entry));
        Assert.False(queue.TryAdd(Entry));

        Assert.Equal(2, queue.Dropped);
        Assert.True(queue.Reader.TryRead(out _));
        Assert.True(queue.TryAdd(Entry)); // room again once the writer took one
    }
}
