using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bollard.Balancer.AccessLogs;

/// <summary>
/// Counts the response body bytes of a logged request. YARP copies a replica's body to <c>Response.Body</c>, so counting
/// that stream's writes counts what the client got; the other members pass through. Installed only on listeners with
/// an access log.
/// </summary>
internal sealed class CountingResponseBody(IHttpResponseBodyFeature inner) : Stream, IHttpResponseBodyFeature
{
    private PipeWriter? _writer;

    public long Bytes { get; private set; }

    public static CountingResponseBody Install(HttpContext context)
    {
        var counting = new CountingResponseBody(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
        context.Features.Set<IHttpResponseBodyFeature>(counting);
        return counting;
    }

    Stream IHttpResponseBodyFeature.Stream => this;

    /// <summary>Over this stream, so that writes through the pipe are counted too.</summary>
    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.CompleteAsync();
        }

        await inner.CompleteAsync();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Stream.Write(buffer, offset, count);
        Bytes += count;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Bytes += buffer.Length;
        return inner.Stream.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Stream.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.Stream.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
