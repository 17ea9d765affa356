using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

public sealed partial class DockerContainerRuntime
{
    /// <summary>
    /// Docker's event stream for the cluster's managed containers. Docker.DotNet pushes each event to an
    /// <see cref="IProgress{T}"/> callback; a bounded channel turns the pushes into this pull-based stream. The stream
    /// ends when the caller cancels or the engine closes it, and fails with <see cref="RuntimeUnavailableException"/>
    /// when the engine cannot be reached.
    /// </summary>
    public async IAsyncEnumerable<ContainerEvent> WatchEventsAsync(
        string cluster, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = DockerEventProgress.CreateChannel(options.EventBufferCapacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpEventsAsync(cluster, channel.Writer, stop.Token);
        try
        {
            // The pump completes the channel on cancellation (the stream then just ends) or with the failure.
            await foreach (var containerEvent in channel.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return containerEvent;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    private async Task PumpEventsAsync(string cluster, ChannelWriter<ContainerEvent> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var parameters = new ContainerEventsParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["type"] = new Dictionary<string, bool> { ["container"] = true },
                    ["label"] = new Dictionary<string, bool>
                    {
                        [$"{ContainerLabels.ManagedBy}={ContainerLabels.ManagedByValue}"] = true,
                        [$"{ContainerLabels.Cluster}={cluster}"] = true,
                    },
                },
            };
            Log.WatchStarted(logger, cluster, Endpoint);
            await client.System.MonitorEventsAsync(parameters, new DockerEventProgress(writer), cancellationToken);
            Log.WatchEnded(logger, Endpoint);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The reader stopped (or its caller cancelled): the stream just ends, whatever the transport threw.
        }
        catch (DockerApiException e)
        {
            failure = DockerErrors.Refused(Endpoint, "the event stream", e);
        }
        catch (Exception e) when (DockerErrors.IsUnreachable(e))
        {
            failure = DockerErrors.Unreachable(Endpoint, "the event stream", e);
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }
}
