using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// Adds the admin API's services: the token (loaded or generated when first resolved), the control plane
    /// (<see cref="SpecControlPlane"/> unless one is registered first), the restore of the applied specs at start, the
    /// watch that follows them (<see cref="IAppliedSpecsSource"/>), and the OpenAPI document. Needs AddStateStore, AddScaler and AddDiscovery, and an <see cref="Specs.InMemoryServiceSpecSource"/>.
    /// </summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services, Action<AdminOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AdminOptions>().Configure(configure);
        services.TryAddSingleton(sp => AdminToken.Load(sp.GetRequiredService<IOptions<AdminOptions>>().Value));
        services.TryAddSingleton<AdminEndpointCatalog>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminAuthentication.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder().AddPolicy(AdminAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(AdminAuthentication.Scheme)
            .RequireAuthenticatedUser());
        services.TryAddSingleton<DesiredSpecsStore>();
        services.TryAddSingleton<Deployments.DeploymentStore>();
        services.TryAddImagePinning();
        services.TryAddSingleton<ControlPlaneStatusReader>();
        services.TryAddSingleton<ImagePresence>();
        services.TryAddSingleton<DeploymentRecords>();
        services.TryAddSingleton<IRunningContainers, HostContainers>();
        services.TryAddSingleton<SpecControlPlane>();
        services.TryAddSingleton<IControlPlane>(sp => sp.GetRequiredService<SpecControlPlane>());
        services.TryAddSingleton<DesiredSpecsRestorer>();
        services.AddHostedService(sp => sp.GetRequiredService<DesiredSpecsRestorer>());
        services.TryAddLoopHealth();
        services.TryAddSingleton(sp => new AppliedSpecsWatch(
            sp.GetRequiredService<IStateStore>(),
            sp.GetRequiredService<DesiredSpecsStore>(),
            sp.GetRequiredService<Secrets.SecretKey>(),
            sp.GetRequiredService<Specs.InMemoryServiceSpecSource>(),
            sp.GetRequiredService<DesiredSpecsRestorer>(),
            sp.GetService<Reconcile.ReconcileLoop>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<LoopHealth>(),
            sp.GetRequiredService<ILogger<AppliedSpecsWatch>>()));
        services.TryAddSingleton<IAppliedSpecsSource>(sp => sp.GetRequiredService<AppliedSpecsWatch>());
        services.AddHostedService(sp => sp.GetRequiredService<AppliedSpecsWatch>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Reconcile.IReconcilePrecondition, DesiredSpecsRestorer>(sp => sp.GetRequiredService<DesiredSpecsRestorer>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Cluster.IControllerState, ControllerDesiredState>());
        services.AddProblemDetails();
        services.Configure<JsonOptions>(json => json.SerializerOptions.WriteIndented = false);
        services.AddOpenApi(openApi => openApi.ShouldInclude = d => d.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true);
        return services;
    }
}
