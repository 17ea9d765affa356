using Bollard.Discovery.Supervision;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bollard.Dashboard;

internal static class DashboardServiceCollectionExtensions
{
    /// <summary>How many events the ring keeps: at one traffic event a second plus the changes, minutes of them.</summary>
    public const int EventCapacity = 4096;

    /// <summary>The dashboard's feed (its loop, the traffic history and the event ring). Needs the balancer, the scaler and the admin API.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.TryAddSingleton<TrafficHistory>();
        services.TryAddSingleton<DashboardSampler>();
        services.TryAddSingleton(sp => new EventRing(EventCapacity, sp.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds() * 1000));
        services.TryAddSingleton<DashboardFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardFeed>());
        services.TryAddLoopHealth();
        return services;
    }
}
