using System.Threading.Channels;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>
/// The bridge from Docker.DotNet's push callback to a channel the event enumerator reads. The callback runs on the
/// stream's read loop and must not block it, so a full buffer drops its oldest event instead of waiting.
/// </summary>
internal sealed class DockerEventProgress(ChannelWriter<ContainerEvent> writer) : IProgress<Message>
{
    public static Channel<ContainerEvent> CreateChannel(int capacity) =>
        Channel.CreateBounded<ContainerEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });

    public void Report(Message value)
    {
        if (ToContainerEvent(value) is { } containerEvent)
        {
            writer.TryWrite(containerEvent);
        }
    }

    /// <summary>Docker puts the container's labels among the actor's attributes; the service label names the service.</summary>
    internal static ContainerEvent? ToContainerEvent(Message message)
    {
        if (!string.Equals(message.Type, "container", StringComparison.Ordinal))
        {
            return null;
        }

        var id = message.Actor?.ID is { Length: > 0 } actorId ? actorId : message.ID;
        var action = message.Action is { Length: > 0 } a ? a : message.Status;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(action))
        {
            return null;
        }

        var service = message.Actor?.Attributes?.TryGetValue(ContainerLabels.Service, out var s) == true ? s : "";
        return new ContainerEvent(id, action, service);
    }
}
