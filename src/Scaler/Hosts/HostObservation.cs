using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Hosts;

/// <summary>What one pass saw on one host: its containers and images, or that it could not be reached (and why).</summary>
public sealed record HostObservation(ManagedHost Host, IReadOnlyList<ObservedContainer> Containers, string? Unreachable)
{
    public bool Available => Unreachable is null;

    /// <summary>The images the host holds; null when they could not be listed (every image then counts as present).</summary>
    public ImageInventory? Images { get; init; }

    /// <summary>Lists every host's managed containers and images in parallel; an unreachable host is reported, not thrown.</summary>
    public static async Task<IReadOnlyList<HostObservation>> ObserveAsync(HostSet hosts, string cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return await Task.WhenAll(hosts.Hosts.Select(async host =>
        {
            var images = ListImagesAsync(host.Runtime, cancellationToken);
            try
            {
                return new HostObservation(host, await host.Runtime.ListManagedAsync(cluster, cancellationToken), null) { Images = await images };
            }
            catch (RuntimeUnavailableException e)
            {
                await images;
                return new HostObservation(host, [], e.Message);
            }
        }));
    }

    private static async Task<ImageInventory?> ListImagesAsync(IContainerRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.ListImagesAsync(cancellationToken);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            return null; // the container list says whether the host answers; images unknown only
        }
    }
}
