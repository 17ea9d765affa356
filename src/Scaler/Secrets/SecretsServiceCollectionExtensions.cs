using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bollard.Scaler.Secrets;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the host's secrets key (loaded by the host, which fails fast when it cannot) and the check that the state
    /// store's values are sealed with it (at start, and before passes while it could not run). Add it before
    /// AddAdminApi: the check runs before the applied specs are read back. Needs AddStateStore.
    /// </summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(key);
        services.TryAddSingleton<SecretKeyCheck>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SecretKeyCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Reconcile.IReconcilePrecondition, SecretKeyCheck>(sp => sp.GetRequiredService<SecretKeyCheck>()));
        return services;
    }
}
