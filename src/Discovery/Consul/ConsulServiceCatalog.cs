using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Discovery.Consul;

/// <summary>
/// <see cref="IServiceCatalog"/> over a Consul agent's HTTP API. Replicas are registered with the local agent, which
/// runs their HTTP checks and syncs them to the servers; reads go to the catalog and health endpoints.
/// </summary>
public sealed partial class ConsulServiceCatalog : IServiceCatalog
{
    /// <summary>Tag on every service Bollard registers, so operators (and clean-up) can tell them apart.</summary>
    public const string MarkerTag = "bollard";

    internal const string ZoneMetaKey = "zone";
    internal const string VersionMetaKey = "version";

    private readonly ConsulHttpClient consul;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <param name="http">Used as is; its own Timeout must exceed <see cref="ConsulOptions.BlockingWait"/> (or be infinite).</param>
    /// <param name="options">Validated here; invalid options throw <see cref="ArgumentException"/>.</param>
    /// <param name="timeProvider">Clock for timeouts, rate limiting and backoff; the system clock when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public ConsulServiceCatalog(
        HttpClient http,
        ConsulOptions options,
        TimeProvider? timeProvider = null,
        ILogger<ConsulServiceCatalog>? logger = null)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
        consul = new ConsulHttpClient(http, options, this.timeProvider);
        this.logger = logger ?? NullLogger<ConsulServiceCatalog>.Instance;
    }

    public async Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        using var body = ConsulHttpClient.Json(ToConsul(registration), ConsulJsonContext.Default.AgentServiceRegistration);
        await consul.SendAsync(HttpMethod.Put, "/v1/agent/service/register", string.Empty, body, cancellationToken, datacenterScoped: false)
            .ConfigureAwait(false);
        LogRegistered(logger, registration.Id, registration.Service, registration.Version, registration.Zone);
    }

    public async Task DeregisterAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await consul.SendAsync(
                HttpMethod.Put,
                $"/v1/agent/service/deregister/{Uri.EscapeDataString(instanceId)}",
                string.Empty,
                null,
                cancellationToken,
                datacenterScoped: false,
                notFoundIsAnswer: true)
            .ConfigureAwait(false);
        LogDeregistered(logger, instanceId);
    }

    public async Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken)
    {
        var response = await consul.SendAsync(HttpMethod.Get, "/v1/catalog/services", string.Empty, null, cancellationToken)
            .ConfigureAwait(false);
        var services = Deserialize(response, ConsulJsonContext.Default.DictionaryStringStringArray) ?? [];
        return [.. services.Keys.Order(StringComparer.Ordinal)];
    }

    public async Task<ServiceSnapshot> GetHealthyAsync(string service, CancellationToken cancellationToken)
    {
        var (snapshot, _) = await QueryHealthyAsync(service, 0, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    internal async Task<(ServiceSnapshot Snapshot, ulong Index)> QueryHealthyAsync(
        string service,
        ulong index,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var wait = consul.Options.BlockingWait;
        var blocking = BlockingQueryIndex.Query(index, wait);
        var query = blocking.Length == 0 ? "passing=true" : $"passing=true&{blocking}";

        // Consul may hold a blocking query for wait + wait/16; the timeout covers that plus a normal request's margin.
        var timeout = index == 0 ? consul.Options.RequestTimeout : wait + (wait / 16) + consul.Options.RequestTimeout;
        var response = await consul.SendAsync(
                HttpMethod.Get,
                $"/v1/health/service/{Uri.EscapeDataString(service)}",
                query,
                null,
                cancellationToken,
                timeout: timeout)
            .ConfigureAwait(false);
        var entries = Deserialize(response, ConsulJsonContext.Default.HealthServiceEntryArray) ?? [];
        var instances = entries
            .Where(e => e.Service is not null)
            .Select(e => ToInstance(e.Service!, e.Node));
        return (new ServiceSnapshot(service, instances), response.Index);
    }

    private static AgentServiceRegistration ToConsul(ServiceRegistration registration)
    {
        var check = registration.Check;
        var tags = registration.Tags.Contains(MarkerTag) ? registration.Tags : registration.Tags.Add(MarkerTag);
        return new AgentServiceRegistration(
            registration.Id,
            registration.Service,
            registration.Address,
            registration.Port,
            tags,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ZoneMetaKey] = registration.Zone,
                [VersionMetaKey] = registration.Version,
            },
            new AgentServiceCheck(
                check.Url.AbsoluteUri,
                ConsulDuration.Format(check.Interval),
                ConsulDuration.Format(check.Timeout),
                ConsulDuration.Format(check.DeregisterCriticalAfter),
                check.InitiallyPassing ? "passing" : "critical",
                check.FailuresBeforeCritical));
    }

    private static ServiceInstance ToInstance(HealthService service, HealthNode? node)
    {
        // An empty service address means "the node's address" in Consul.
        var address = string.IsNullOrEmpty(service.Address) ? node?.Address ?? string.Empty : service.Address;
        return new ServiceInstance(
            service.Id,
            service.Service,
            address,
            service.Port,
            service.Meta?.GetValueOrDefault(ZoneMetaKey) ?? string.Empty,
            service.Meta?.GetValueOrDefault(VersionMetaKey) ?? string.Empty);
    }

    private T? Deserialize<T>(ConsulResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return response.Body.Length == 0 ? default : JsonSerializer.Deserialize(response.Body, type);
        }
        catch (JsonException e)
        {
            throw new CatalogUnavailableException($"Consul at {consul.Options.Address} sent an unreadable answer: {e.Message}", e);
        }
    }
}
