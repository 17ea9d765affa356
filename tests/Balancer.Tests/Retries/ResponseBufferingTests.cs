using System.Net;
using System.Net.Http;
using System.Text;
using Bollard.Balancer.Retries;

namespace Bollard.Balancer.Tests.Retries;

public sealed class ResponseBufferingTests
{
    private const int Limit = 64;

    public static TheoryData<int, long?, string?, string> Cases() => new()
    {
        { 200, 10, null, "Whole" },
        { 200, Limit, "application/json", "Whole" },
        { 503, 10, null, "Whole" },
        { 200, Limit + 1, null, "None" },
        { 200, 0, null, "None" },
        { 200, null, "application/json; charset=utf-8", "UpToLimit" },
        { 200, null, null, "UpToLimit" },
        // Streams by nature: their first message must not wait for the last.
        { 200, null, "text/event-stream", "None" },
        { 200, null, "application/grpc+proto", "None" },
        { 200, null, "application/x-ndjson", "None" },
        // No body, or a protocol switch (WebSockets over GET).
        { 204, null, null, "None" },
        { 304, null, null, "None" },
        { 101, null, null, "None" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Which_responses_are_read_ahead(int status, long? length, string? type, string expected) =>
        Assert.Equal(Enum.Parse<ResponseBuffering>(expected), ResponseBufferingRules.Decide((HttpStatusCode)status, length, type, Limit));

    [Fact]
    public void Nothing_is_read_ahead_with_a_zero_limit() =>
        Assert.Equal(ResponseBuffering.None, ResponseBufferingRules.Decide(HttpStatusCode.OK, 10, null, 0));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("HEAD", false)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void Only_responses_to_retryable_requests_with_a_body_qualify(string method, bool expected) =>
        Assert.Equal(expected, ResponseBufferingRules.IsRetryableMethod(new HttpMethod(method)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_broken_off_after_the_headers_fails_the_attempt_before_the_client_sees_it(bool lengthKnown)
    {
        var body = new ReplicaBody(Encoding.UTF8.GetBytes("{\"replica\":\"a\"}"), breakAfter: 5);
        using var invoker = Invoker(body, lengthKnown);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(Get(), CancellationToken.None));

        Assert.Equal(HttpRequestError.ResponseEnded, failure.HttpRequestError);
        Assert.Contains(Causes(failure), e => e is IOException);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_small_body_is_held_whole_before_the_response_is_handed_on(bool lengthKnown)
    {
        var body = new ReplicaBody(Encoding.UTF8.GetBytes("{\"replica\":\"a\"}"));
        using var invoker = Invoker(body, lengthKnown);

        using var response = await invoker.SendAsync(Get(), CancellationToken.None);

        Assert.True(body.Ended);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"replica\":\"a\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_streamed_whole_after_its_first_part()
    {
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var body = new ReplicaBody(bytes, chunk: 7);
        using var invoker = Invoker(body, lengthKnown: false);

        using var response = await invoker.SendAsync(Get(), CancellationToken.None);

        Assert.False(body.Ended);
        Assert.False(((PrefetchedContent)response.Content).IsComplete);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST", 10, null)]
    [InlineData("GET", 1000, null)]
    [InlineData("GET", null, "text/event-stream")]
    public async Task Other_responses_are_handed_on_unread(string method, int? length, string? type)
    {
        var body = new ReplicaBody(new byte[length ?? 10], breakAfter: 0);
        using var invoker = Invoker(body, length is not null, type);

        using var response = await invoker.SendAsync(new HttpRequestMessage(new HttpMethod(method), "http://replica/"), CancellationToken.None);

        Assert.Equal(0, body.Delivered);
    }

    [Fact]
    public async Task A_cancelled_read_stays_a_cancellation()
    {
        var body = new ReplicaBody(new byte[10], stallAfter: 3);
        using var invoker = Invoker(body, lengthKnown: false);
        using var cancel = new CancellationTokenSource();

        var sending = invoker.SendAsync(Get(), cancel.Token);
        await Eventually.TrueAsync(() => body.Stalled, "the read waits for more of the body");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (var current = e.InnerException; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "http://replica/");

    private static HttpMessageInvoker Invoker(ReplicaBody body, bool lengthKnown, string? type = "application/json")
    {
        var content = new StreamContent(body);
        content.Headers.ContentLength = lengthKnown ? body.Size : null;
        if (type is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        var replica = new ReplicaHandler(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        return new HttpMessageInvoker(new ResponseBufferingHandler(Limit) { InnerHandler = replica });
    }

    private sealed class ReplicaHandler(HttpResponseMessage response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(response);
    }

    /// <summary>
    /// A replica's body as the handler reads it: not seekable (so its length is only what the headers say), given
    /// out in small chunks, optionally breaking off (as a killed replica) or stalling after some bytes.
    /// </summary>
    private sealed class ReplicaBody(byte[] bytes, int breakAfter = -1, int stallAfter = -1, int chunk = 4) : Stream
    {
        private volatile bool _stalled;

        public int Size => bytes.Length;

        /// <summary>Bytes handed out so far.</summary>
        public int Delivered { get; private set; }

        public bool Ended { get; private set; }

        public bool Stalled => _stalled;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("reads are async");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (breakAfter >= 0 && Delivered >= breakAfter)
            {
                throw new IOException("The replica went away mid-body.");
            }

            if (stallAfter >= 0 && Delivered >= stallAfter)
            {
                _stalled = true;
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var count = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - Delivered);
            bytes.AsSpan(Delivered, count).CopyTo(buffer.Span);
            Delivered += count;
            Ended |= count == 0;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
