namespace Bollard.Discovery.Consul;

/// <summary>What <see cref="ConsulTtlCheck.RegisterAsync"/> registers: a service standing for the process, with one TTL check.</summary>
/// <param name="ServiceId">The service's id on the local agent (unique per process).</param>
/// <param name="ServiceName">The service's name (shared by all such processes).</param>
/// <param name="CheckId">The check's id: what sessions are bound to.</param>
/// <param name="Ttl">The check turns critical when not passed within this.</param>
/// <param name="DeregisterAfter">A service critical for this long is removed by Consul (1 minute at least).</param>
/// <param name="Meta">Shown with the service (e.g. the cluster and the process's name).</param>
public sealed record TtlCheckRegistration(
    string ServiceId,
    string ServiceName,
    string CheckId,
    TimeSpan Ttl,
    TimeSpan DeregisterAfter,
    IReadOnlyDictionary<string, string> Meta);

/// <summary>
/// A process's own liveness in its local Consul agent: a service of its own with a TTL check that the process passes
/// itself. A service check, not a node check: a node check that turns critical would fail every service of the node,
/// the replicas included. Sessions bound to the check end within the TTL of the process's last pass (it died, or it
/// hangs), or at once when the service is deregistered.
/// </summary>
public sealed class ConsulTtlCheck
{
    private readonly ConsulHttpClient consul;

    public ConsulTtlCheck(HttpClient http, ConsulOptions options, TimeProvider? timeProvider = null)
    {
        consul = new ConsulHttpClient(http, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Registers (or registers again) the service with its check, passing.</summary>
    public async Task RegisterAsync(TtlCheckRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var request = new TtlServiceRegistration(
            registration.ServiceId,
            registration.ServiceName,
            registration.Meta,
            new TtlServiceCheck(
                registration.CheckId,
                $"{registration.ServiceName} alive",
                ConsulDuration.Format(registration.Ttl),
                ConsulDuration.Format(registration.DeregisterAfter),
                "passing"));
        using var body = ConsulHttpClient.Json(request, ConsulJsonContext.Default.TtlServiceRegistration);
        await consul.SendAsync(HttpMethod.Put, "/v1/agent/service/register", string.Empty, body, cancellationToken, datacenterScoped: false)
            .ConfigureAwait(false);
    }

    /// <summary>Passes the check: it stays passing for another TTL.</summary>
    /// <param name="checkId">The check.</param>
    /// <param name="timeout">How long the call may take (the options' request timeout when null): a heartbeat that
    /// hangs is better given up and sent again at the next beat.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="CatalogUnavailableException">Consul cannot be reached, or no longer knows the check (register it again).</exception>
    public Task PassAsync(string checkId, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkId);
        return consul.SendAsync(HttpMethod.Put, $"/v1/agent/check/pass/{Uri.EscapeDataString(checkId)}", string.Empty, null, cancellationToken, datacenterScoped: false, timeout: timeout);
    }

    /// <summary>Removes the service and its check: the sessions bound to it end at once. A missing service is not an error.</summary>
    public Task DeregisterAsync(string serviceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        return consul.SendAsync(
            HttpMethod.Put,
            $"/v1/agent/service/deregister/{Uri.EscapeDataString(serviceId)}",
            string.Empty,
            null,
            cancellationToken,
            datacenterScoped: false,
            notFoundIsAnswer: true);
    }
}
