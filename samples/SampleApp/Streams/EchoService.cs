using Bollard.SampleApp.Grpc;
using Grpc.Core;

namespace Bollard.SampleApp.Streams;

/// <summary>
/// The gRPC service of the sample (Protos/echo.proto): a unary call that also sets a trailer and fails on request,
/// a server stream and a bidirectional stream, so that tests see trailers, statuses and streamed messages pass through
/// the balancer.
/// </summary>
internal sealed class EchoService(WorkloadSettings settings) : Echo.EchoBase
{
    /// <summary>The trailer every unary answer carries: the replica that answered.</summary>
    public const string ReplicaTrailer = "x-replica";

    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add(ReplicaTrailer, settings.Replica);
        if (request.Message == "fail")
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "asked to fail"));
        }

        return Task.FromResult(Reply(request.Message));
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(request.IntervalMs, 0, 600_000));
        for (var i = 1; i <= Math.Clamp(request.Count, 0, 10_000); i++)
        {
            if (i > 1 && interval > TimeSpan.Zero)
            {
                await Task.Delay(interval, context.CancellationToken);
            }

            await responseStream.WriteAsync(Reply(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), context.CancellationToken);
        }
    }

    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(Reply(request.Message), context.CancellationToken);
        }
    }

    private EchoReply Reply(string message) => new() { Message = message, Replica = settings.Replica, Version = settings.Version };
}
