using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Bollard.Discovery.Supervision;

public static class SupervisionServiceCollectionExtensions
{
    /// <summary>Adds the one <see cref="LoopHealth"/> of the process (every part's loops report to it), unless one is registered.</summary>
    public static IServiceCollection TryAddLoopHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);

        // Jitter only spreads retries apart; it needs no secure or repeatable source outside tests, which inject their own.
        services.TryAddSingleton(sp => new LoopHealth(sp.GetRequiredService<TimeProvider>(), Random.Shared.NextDouble, sp.GetService<ILogger<LoopHealth>>()));
        return services;
    }
}
