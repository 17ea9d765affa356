using System.Collections.Concurrent;
using Bollard.Scaler.Runtime;

namespace Bollard.IntegrationTests.Docker;

/// <summary>Reads a runtime's event stream in the background so that a test can wait for one event.</summary>
internal sealed class EventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<ContainerEvent> events = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task reader;

    public EventRecorder(IContainerRuntime runtime, string cluster)
    {
        reader = Task.Run(async () =>
        {
            await foreach (var containerEvent in runtime.WatchEventsAsync(cluster, stop.Token))
            {
                events.Enqueue(containerEvent);
            }
        });
    }

    public bool Saw(string containerId, string action) =>
        events.Any(e => e.ContainerId == containerId && e.Action == action);

    public bool SawAny(string containerId) => events.Any(e => e.ContainerId == containerId);

    public IReadOnlyList<ContainerEvent> All => [.. events];

    /// <summary>The reader's end: faulted if the stream failed, completed once it ended.</summary>
    public Task Completion => reader;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reader;
        stop.Dispose();
    }
}
