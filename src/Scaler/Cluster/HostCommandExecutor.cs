using Bollard.Discovery;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Runs one command on this host: the engine for container commands, the local catalog for registrations. A create's
/// environment values arrive sealed and are unsealed with this host's secrets key only to go into the container.
/// </summary>
public static class HostCommandExecutor
{
    /// <param name="command">The command.</param>
    /// <param name="runtime">This host's engine.</param>
    /// <param name="catalog">This host's catalog (its Consul agent).</param>
    /// <param name="key">This host's secrets key: a create's environment arrives sealed with it.</param>
    /// <param name="progress">Told how far a pull is; may be null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public static async Task<HostCommandResult> ExecuteAsync(
        HostCommand command, IContainerRuntime runtime, IServiceCatalog catalog, SecretKey key, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(catalog);
        try
        {
            switch (command.Kind)
            {
                case HostCommandKind.Create when command.Create is { } request:
                    var unsealed = request with { Environment = EnvSealing.UnsealAll(key, request.Environment) };
                    return HostCommandResult.Done(await runtime.CreateAndStartAsync(unsealed, cancellationToken));
                case HostCommandKind.Stop when command.ContainerId is { } id:
                    await runtime.StopAsync(id, command.GracePeriod ?? TimeSpan.Zero, cancellationToken);
                    return HostCommandResult.Done();
                case HostCommandKind.Remove when command.ContainerId is { } id:
                    await runtime.RemoveAsync(id, cancellationToken);
                    return HostCommandResult.Done();
                case HostCommandKind.Register when command.Registration is { } registration:
                    await catalog.RegisterAsync(registration, cancellationToken);
                    return HostCommandResult.Done();
                case HostCommandKind.Pull when command.Image is { } image:
                    return HostCommandResult.Done() with { Pulled = await runtime.PullImageAsync(image, progress, cancellationToken) };
                case HostCommandKind.Deregister when command.InstanceId is { } instance:
                    await catalog.DeregisterAsync(instance, cancellationToken);
                    return HostCommandResult.Done();
                default:
                    return HostCommandResult.Failed(HostCommandFailure.Refused, $"command {command.Kind} lacks its arguments");
            }
        }
        catch (Exception e) when (e is RuntimeUnavailableException or CatalogUnavailableException)
        {
            return HostCommandResult.Failed(HostCommandFailure.Unavailable, e.Message);
        }
        catch (ContainerOperationException e)
        {
            return HostCommandResult.Failed(HostCommandFailure.Refused, e.Message);
        }
        catch (SecretKeyException e)
        {
            return HostCommandResult.Failed(HostCommandFailure.Refused, $"cannot unseal the environment: {e.Message}");
        }
    }
}
