namespace Bollard.Discovery.Embedded;

/// <summary>An HTTP GET that passes on a 2xx answer within the check's timeout, as Consul's HTTP check does.</summary>
public sealed class HttpHealthProber : IHealthProber
{
    private readonly HttpClient http;
    private readonly TimeProvider timeProvider;

    /// <param name="http">Shared client; each probe is bounded by its check's own timeout, not by the client's.</param>
    /// <param name="timeProvider">Clock for the probe timeout; the system clock when null.</param>
    public HttpHealthProber(HttpClient http, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        this.http = http;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task<bool> ProbeAsync(HealthCheckRegistration check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        using var timeout = new CancellationTokenSource(check.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.GetAsync(check.Url, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
