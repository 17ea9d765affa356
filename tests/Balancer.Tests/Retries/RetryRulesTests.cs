using System.Net.Http;
using System.Net.Sockets;
using Bollard.Balancer.Retries;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Tests.Retries;

public sealed class RetryRulesTests
{
    private static readonly Exception Refused = new HttpRequestException(
        HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));

    private static readonly Exception Reset = new HttpRequestException(
        HttpRequestError.ResponseEnded, "ended", new IOException("reset"));

    private static readonly Exception ConnectTimeout = new TaskCanceledException("connect", new TimeoutException("ConnectTimeout"));

    public static TheoryData<string, bool, ForwarderError, Exception?, int, string> Cases() => new()
    {
        // Never reached the replica: any method, any body.
        { "POST", false, ForwarderError.Request, Refused, 502, "Connect" },
        { "GET", true, ForwarderError.Request, Refused, 502, "Connect" },
        { "PATCH", false, ForwarderError.RequestTimedOut, ConnectTimeout, 504, "Connect" },
        // Reached it, then lost: idempotent with a replayable body only.
        { "GET", true, ForwarderError.Request, Reset, 502, "Connection" },
        { "PUT", true, ForwarderError.Request, Reset, 502, "Connection" },
        { "PUT", false, ForwarderError.Request, Reset, 502, "None" },
        { "POST", true, ForwarderError.Request, Reset, 502, "None" },
        { "DELETE", true, ForwarderError.RequestTimedOut, new TaskCanceledException(), 504, "Timeout" },
        { "POST", true, ForwarderError.RequestTimedOut, new TaskCanceledException(), 504, "None" },
        { "HEAD", true, ForwarderError.None, null, 503, "Unavailable" },
        { "POST", true, ForwarderError.None, null, 503, "None" },
        { "GET", true, ForwarderError.None, null, 500, "None" },
        { "GET", true, ForwarderError.None, null, 200, "None" },
        { "GET", true, ForwarderError.NoAvailableDestinations, null, 503, "None" },
        // The body broke off before a byte reached the client: as a lost connection.
        { "GET", true, ForwarderError.ResponseBodyDestination, Reset, 502, "Connection" },
        { "POST", true, ForwarderError.ResponseBodyDestination, Reset, 502, "None" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Which_failures_are_retried(string method, bool replayable, ForwarderError error, Exception? exception, int status, string expected) =>
        Assert.Equal(Enum.Parse<RetryReason>(expected), RetryRules.Decide(method, replayable, error, exception, status, responseStarted: false, clientAborted: false));

    [Fact]
    public void Nothing_is_retried_once_the_response_started_or_the_client_left()
    {
        Assert.Equal(RetryReason.None, RetryRules.Decide("GET", true, ForwarderError.Request, Refused, 502, responseStarted: true, clientAborted: false));
        Assert.Equal(RetryReason.None, RetryRules.Decide("GET", true, ForwarderError.Request, Refused, 502, responseStarted: false, clientAborted: true));
    }
}
