using System.Net;
using System.Security.Cryptography;

namespace Bollard.Agent.Systemd;

/// <summary>
/// Asks the balancer's own listener for an answer, as a client would: a request to a path nobody else knows (random,
/// per process), answered by the agent itself in front of the proxy. It shows that the listener accepts connections
/// and that requests get through the pipeline, which a thread pool starved or a Kestrel that stopped accepting would not.
/// </summary>
internal sealed class BalancerProbe : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _uri;

    public BalancerProbe(IPEndPoint listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        Path = "/.bollard-watchdog/" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        // A listener on every address is asked on loopback.
        var address = listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : listen.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : listen.Address;
        _uri = new Uri($"http://{new IPEndPoint(address, listen.Port)}{Path}");
        // A new connection for every probe: an accept loop that stopped must show.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The path the agent answers with 204 on the balancer's listener.</summary>
    public string Path { get; }

    /// <returns>Null when the listener answered in time, else what went wrong.</returns>
    public async Task<string?> CheckAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            using var response = await _http.GetAsync(_uri, either.Token);
            return response.StatusCode == HttpStatusCode.NoContent
                ? null
                : $"the balancer's listener {_uri.Authority} answered the watchdog's probe with {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return $"the balancer's listener {_uri.Authority} did not answer the watchdog's probe within {timeout.TotalSeconds:0.#} s: {e.Message}";
        }
    }

    public void Dispose() => _http.Dispose();
}
