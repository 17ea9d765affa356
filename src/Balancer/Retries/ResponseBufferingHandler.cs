using System.Net.Http;

namespace Bollard.Balancer.Retries;

/// <summary>
/// Sits in the forwarder's HTTP client and reads small response bodies of retryable requests before YARP copies
/// the response: a replica killed after sending its headers then fails the attempt while the client has seen
/// nothing, as a request failure that <see cref="RetryAttempts"/> sends to another replica. Other requests cost
/// one method comparison; large and streaming responses pass through streamed (see <see cref="ResponseBufferingRules"/>).
/// </summary>
internal sealed class ResponseBufferingHandler(int limit) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ResponseBufferingRules.IsRetryableMethod(request.Method)
            ? SendAndBufferAsync(request, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendAndBufferAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var content = response.Content;
        var headers = content.Headers;
        var buffering = ResponseBufferingRules.Decide(response.StatusCode, headers.ContentLength, ContentTypeOf(headers), limit);
        if (buffering == ResponseBuffering.None)
        {
            return response;
        }

        try
        {
            if (buffering == ResponseBuffering.Whole)
            {
                await content.LoadIntoBufferAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                response.Content = await PrefetchedContent.ReadAsync(content, limit, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A cancellation stays one: YARP tells the client going away from the attempt timing out by it.
            response.Dispose();
            throw new HttpRequestException(
                HttpRequestError.ResponseEnded,
                "The replica's response broke off before its body was complete; nothing was sent to the client.",
                e);
        }

        return response;
    }

    // Only a chunked response needs its type, so the header is looked at raw (no parsing, no allocation).
    private static string? ContentTypeOf(System.Net.Http.Headers.HttpContentHeaders headers) =>
        headers.ContentLength is null && headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
}
