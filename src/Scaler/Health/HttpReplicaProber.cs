namespace Bollard.Scaler.Health;

/// <summary>Probes a replica's HTTP health endpoint: passing means a 2xx answer within the timeout.</summary>
internal sealed class HttpReplicaProber(HttpClient http) : IReplicaProber
{
    public async Task<bool> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return response.IsSuccessStatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // timed out
        }
        catch (HttpRequestException)
        {
            return false; // refused, reset, not listening yet
        }
    }
}
