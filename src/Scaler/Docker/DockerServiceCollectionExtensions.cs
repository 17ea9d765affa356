using Bollard.Scaler.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Docker;

public static class DockerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DockerContainerRuntime"/> as the <see cref="IContainerRuntime"/> unless one is already
    /// registered (tests put a fake first). The options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddDockerRuntime(this IServiceCollection services, Action<DockerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DockerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerOptions>, DockerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IContainerRuntime, DockerContainerRuntime>();
        return services;
    }
}
