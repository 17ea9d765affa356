using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Docker;

/// <summary>
/// <see cref="IContainerRuntime"/> on one Docker engine, through Docker.DotNet. Every call is bounded by
/// <see cref="DockerOptions.RequestTimeout"/>; transport failures become <see cref="RuntimeUnavailableException"/> and
/// refusals <see cref="ContainerOperationException"/>, so no Docker.DotNet type leaks to the reconcile core.
/// </summary>
public sealed partial class DockerContainerRuntime : IContainerRuntime, IDisposable
{
    private readonly DockerOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<DockerContainerRuntime> logger;
    private readonly DockerClientConfiguration configuration;
    private readonly DockerClient client;
    private readonly RegistryCredentials credentials;
    private readonly DockerDistribution distribution;

    public DockerContainerRuntime(IOptions<DockerOptions> options, TimeProvider timeProvider, ILogger<DockerContainerRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        configuration = new DockerClientConfiguration(new Uri(this.options.Endpoint), defaultTimeout: this.options.RequestTimeout);
        client = configuration.CreateClient();
        credentials = new RegistryCredentials(this.options.RegistryAuthFile);
        distribution = new DockerDistribution(new Uri(this.options.Endpoint));
    }

    public string Endpoint => options.Endpoint;

    public async Task<IReadOnlyList<ObservedContainer>> ListManagedAsync(string cluster, CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{ContainerLabels.ManagedBy}={ContainerLabels.ManagedByValue}"] = true,
                    [$"{ContainerLabels.Cluster}={cluster}"] = true,
                },
            },
        };
        var entries = await CallAsync(
            "the container list", options.RequestTimeout, ct => client.Containers.ListContainersAsync(parameters, ct), cancellationToken);
        return await WithExitsAsync([.. entries.Select(DockerContainerMapper.FromListEntry)], cancellationToken);
    }

    public async Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Read here, on the engine's host, when the container is created: env file values never travel.
        var parameters = DockerCreateParameters.From(request, EnvFiles.Read(request.EnvFiles, Endpoint));
        var created = await CallAsync(
            $"the creation of container '{request.Name}'",
            options.RequestTimeout,
            async ct =>
            {
                try
                {
                    return await client.Containers.CreateContainerAsync(parameters, ct);
                }
                catch (DockerImageNotFoundException e)
                {
                    throw new ContainerOperationException(
                        $"image '{request.Image}' is not present on the engine at {Endpoint}; pull, build or load it first", e);
                }
            },
            cancellationToken);

        var startBegan = timeProvider.GetTimestamp();
        try
        {
            await CallAsync(
                $"the start of container '{request.Name}'", options.RequestTimeout,
                ct => client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct), cancellationToken);
            var inspect = await CallAsync(
                $"the inspection of container '{request.Name}'", options.RequestTimeout,
                ct => client.Containers.InspectContainerAsync(created.ID, ct), cancellationToken);
            var observed = DockerContainerMapper.FromInspect(inspect, request.ContainerPort);
            Log.ContainerStarted(logger, observed.Name, observed.ShortId, request.Image, observed.HostAddress, observed.HostPort);
            return observed;
        }
        catch (RuntimeUnavailableException e) when (timeProvider.GetElapsedTime(startBegan) >= options.RequestTimeout)
        {
            // The engine did not answer in time: a loaded engine may still start it. Tearing it down and creating another
            // would only add to its load; it is labelled, so the next pass counts it, and the start period's rule
            // replaces it if it never answers.
            Log.StartSlowLeftToLoop(logger, request.Name, created.ID, e.Message);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A created container that did not start would hold its name and count as a replica: remove it.
            Log.StartFailedRemoving(logger, request.Name, created.ID, e);
            await RemoveAfterFailedStartAsync(created.ID);
            throw;
        }
    }

    public async Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var graceSeconds = (uint)Math.Ceiling(Math.Max(0, gracePeriod.TotalSeconds));
        var parameters = new ContainerStopParameters { WaitBeforeKillSeconds = graceSeconds };
        var gone = await CallAsync(
            $"the stop of container {containerId}",
            options.RequestTimeout + TimeSpan.FromSeconds(graceSeconds),
            async ct => await IgnoreMissingAsync(() => client.Containers.StopContainerAsync(containerId, parameters, ct)),
            cancellationToken);
        if (gone)
        {
            Log.AlreadyGone(logger, containerId, "stop");
        }
        else
        {
            Log.ContainerStopped(logger, containerId, graceSeconds);
        }
    }

    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        var gone = await CallAsync(
            $"the removal of container {containerId}",
            options.RequestTimeout,
            ct => IgnoreMissingAsync(() => client.Containers.RemoveContainerAsync(
                containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct)),
            cancellationToken);
        if (gone)
        {
            Log.AlreadyGone(logger, containerId, "remove");
        }
        else
        {
            Log.ContainerRemoved(logger, containerId);
        }
    }

    public void Dispose()
    {
        distribution.Dispose();
        client.Dispose();
        configuration.Dispose();
    }

    /// <summary>Runs one engine call under its own deadline and translates what Docker.DotNet throws.</summary>
    private async Task<T> CallAsync<T>(
        string operation, TimeSpan timeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's cancellation, whatever shape the transport gave it: not the engine's fault.
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new OperationCanceledException($"{operation} was cancelled", e, cancellationToken);
        }
        catch (Exception e) when (deadline.IsCancellationRequested || e is OperationCanceledException)
        {
            // Our deadline or Docker.DotNet's own client timeout: either way the engine did not answer in time.
            throw DockerErrors.TimedOut(Endpoint, operation, timeout);
        }
        catch (DockerApiException e)
        {
            throw DockerErrors.Refused(Endpoint, operation, e);
        }
        catch (Exception e) when (DockerErrors.IsUnreachable(e))
        {
            throw DockerErrors.Unreachable(Endpoint, operation, e);
        }
    }

    /// <summary>Runs a call for which a missing container is success; returns whether it was missing.</summary>
    private static async Task<bool> IgnoreMissingAsync(Func<Task> call)
    {
        try
        {
            await call();
            return false;
        }
        catch (DockerContainerNotFoundException)
        {
            return true;
        }
    }

    private async Task RemoveAfterFailedStartAsync(string containerId)
    {
        try
        {
            // Not the caller's token: the clean-up must run even when the failure was the caller's cancellation.
            await RemoveAsync(containerId, CancellationToken.None);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            Log.CleanupFailed(logger, containerId, e);
        }
    }
}
