using System.Runtime.CompilerServices;
using Bollard.Discovery;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The engine of a host managed by another agent, as the controller's reconciler sees it: its containers are the
/// host's last report (unreachable when the report vanished, stopped moving, or says the engine cannot be read, so
/// the usual rules apply: scale-in of what it ran is frozen and its capacity is replaced elsewhere), and every change
/// is a command the host's agent runs on its own engine. Its images are the report's too; a pull runs on the host with
/// the host's own registry credentials (they never leave it).
/// </summary>
/// <param name="pullTimeout">How long the controller waits for a pull's answer on top of <see cref="ClusterOptions.CommandTimeout"/>
/// (the host bounds the pull itself by its own <c>docker.pullTimeout</c>; a pull answered late still leaves the image there).</param>
public sealed class RemoteHostRuntime(
    string host,
    ClusterHostsWatch hosts,
    HostCommandClient commands,
    IOptions<ClusterOptions> options,
    TimeSpan pullTimeout,
    TimeProvider time) : IContainerRuntime
{
    public string Endpoint => $"host {host} (through its agent)";

    public Task<IReadOnlyList<ObservedContainer>> ListManagedAsync(string cluster, CancellationToken cancellationToken) =>
        Task.FromResult(Report().Containers);

    /// <summary>The images of the host's last report (null from an agent that does not report them).</summary>
    public Task<ImageInventory?> ListImagesAsync(CancellationToken cancellationToken) => Task.FromResult(Report().Images);

    public async Task<ImagePullResult> PullImageAsync(string reference, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        var result = await RunAsync(new HostCommand(NewId(), HostCommandKind.Pull) { Image = reference }, pullTimeout, cancellationToken, progress);
        return result.Pulled ?? throw new ContainerOperationException($"host {host}'s agent pulled {reference} but did not say how it went");
    }

    public async Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        var result = await RunAsync(new HostCommand(NewId(), HostCommandKind.Create) { Create = request }, TimeSpan.Zero, cancellationToken);
        return result.Container ?? throw new ContainerOperationException($"host {host}'s agent created {request.Name} but did not say what it created");
    }

    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        RunAsync(new HostCommand(NewId(), HostCommandKind.Stop) { ContainerId = containerId, GracePeriod = gracePeriod }, gracePeriod, cancellationToken);

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) =>
        RunAsync(new HostCommand(NewId(), HostCommandKind.Remove) { ContainerId = containerId }, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// The reading published with the host's last report. Null when the host is unreachable or the container was not
    /// read: missing data (the cpu metric then holds), never zero load. A reading seen twice gives no rate of its own
    /// (the sampler keeps the last rate until a reading a second later comes).
    /// </summary>
    public Task<ContainerCpuSample?> SampleCpuAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult(
            hosts.Roster.Entries.TryGetValue(host, out var entry) && HostRoster.Unreachable(entry, time.GetUtcNow(), options.Value.StaleAfter) is null
                ? entry.Report.Cpu?.GetValueOrDefault(containerId)
                : null);

    /// <summary>Nothing to stream: the controller wakes its loop itself when a host's report changes.</summary>
    public async IAsyncEnumerable<ContainerEvent> WatchEventsAsync(string cluster, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            yield break;
        }

        yield break;
    }

    internal static string NewId() => Guid.NewGuid().ToString("N");

    /// <exception cref="RuntimeUnavailableException">The host's report vanished, is stale, or says its engine cannot be read.</exception>
    private HostReport Report()
    {
        if (!hosts.Roster.Entries.TryGetValue(host, out var entry))
        {
            throw new RuntimeUnavailableException($"host {host}: its agent has not published a report");
        }

        if (HostRoster.Unreachable(entry, time.GetUtcNow(), options.Value.StaleAfter) is { } why)
        {
            throw new RuntimeUnavailableException(why);
        }

        return entry.Report;
    }

    private async Task<HostCommandResult> RunAsync(HostCommand command, TimeSpan extra, CancellationToken cancellationToken, IProgress<ImagePullProgress>? progress = null)
    {
        HostCommandResult result;
        try
        {
            result = await commands.SendAsync(host, command, options.Value.CommandTimeout + extra, progress, cancellationToken);
        }
        catch (CatalogUnavailableException e)
        {
            throw new RuntimeUnavailableException(e.Message, e);
        }

        return result.Failure switch
        {
            null => result,
            HostCommandFailure.Refused => throw new ContainerOperationException($"host {host}: {result.Error}"),
            _ => throw new RuntimeUnavailableException($"host {host}: {result.Error}"),
        };
    }
}
