using System.Buffers;
using System.Net;
using System.Net.Http;

namespace Bollard.Balancer.Retries;

/// <summary>
/// A response body of unknown length whose start was read ahead into a pooled buffer: all of it when it ended
/// within the limit, else the first part followed by the rest of the replica's stream. The buffer goes back to
/// the pool when the body's stream or the content is disposed, whichever comes first.
/// </summary>
internal sealed class PrefetchedContent : HttpContent
{
    private const int FirstBufferSize = 4096;

    private readonly int _length;
    private readonly Stream? _rest;
    private readonly HttpContent _original;
    private byte[]? _buffer;

    private PrefetchedContent(byte[] buffer, int length, Stream? rest, HttpContent original)
    {
        _buffer = buffer;
        _length = length;
        _rest = rest;
        _original = original;
        foreach (var header in original.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>True when the whole body is in memory (it ended within the limit).</summary>
    public bool IsComplete => _rest is null;

    /// <summary>
    /// Reads <paramref name="original"/> until it ends or <paramref name="limit"/> bytes are in; a failure or
    /// cancellation while reading propagates (the caller disposes the response).
    /// </summary>
    public static async Task<PrefetchedContent> ReadAsync(HttpContent original, int limit, CancellationToken cancellationToken)
    {
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBufferSize, limit));
        var length = 0;
        try
        {
            while (true)
            {
                var room = Math.Min(buffer.Length, limit) - length;
                if (room == 0)
                {
                    if (length >= limit)
                    {
                        // Too large to hold back: what was read goes first, the rest streams.
                        return new PrefetchedContent(buffer, length, stream, original);
                    }

                    buffer = Grow(buffer, length, limit);
                    continue;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, room), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PrefetchedContent(buffer, length, rest: null, original);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var body = new PrefetchedStream(this);
        await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new PrefetchedStream(this));

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => CreateContentReadStreamAsync();

    // The replica did not say; the client gets the body with the framing the replica chose (chunked).
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    private static byte[] Grow(byte[] buffer, int length, int limit)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _rest?.Dispose();
        _original.Dispose();
    }

    /// <summary>Reads the prefetched bytes, then the rest of the replica's stream if there is one.</summary>
    private sealed class PrefetchedStream(PrefetchedContent content) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var copied = CopyBuffered(buffer);
            return copied > 0 || buffer.IsEmpty || content._rest is null ? copied : content._rest.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var copied = CopyBuffered(buffer.Span);
            return copied > 0 || buffer.IsEmpty || content._rest is null
                ? ValueTask.FromResult(copied)
                : content._rest.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                content.Release();
            }

            base.Dispose(disposing);
        }

        private int CopyBuffered(Span<byte> destination)
        {
            var remaining = content._length - _position;
            if (remaining <= 0)
            {
                return 0;
            }

            var source = content._buffer ?? throw new ObjectDisposedException(nameof(PrefetchedContent));

            var count = Math.Min(remaining, destination.Length);
            source.AsSpan(_position, count).CopyTo(destination);
            _position += count;
            return count;
        }
    }
}
