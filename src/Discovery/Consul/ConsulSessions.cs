using System.Text.Json;

namespace Bollard.Discovery.Consul;

/// <summary>What Consul does with the locks of a session that is invalidated (TTL expired, node failed).</summary>
public enum ConsulSessionBehavior
{
    /// <summary>Release the locks; the keys stay.</summary>
    Release,

    /// <summary>Delete the locked keys.</summary>
    Delete,
}

/// <summary>
/// Consul sessions: the liveness behind KV locks. A session lives while it is renewed within its TTL and every health
/// check it is bound to passes (by default the node's <c>serfHealth</c>; a <see cref="ConsulTtlCheck"/> of the process
/// itself ends it within seconds of the process's death).
/// </summary>
public sealed class ConsulSessions
{
    /// <summary>Consul accepts TTLs from 10 s to 24 h.</summary>
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    private readonly ConsulHttpClient consul;

    public ConsulSessions(HttpClient http, ConsulOptions options, TimeProvider? timeProvider = null)
    {
        consul = new ConsulHttpClient(http, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates a session on the local agent's node; returns its id.</summary>
    /// <param name="name">A human name (shown in Consul's UI).</param>
    /// <param name="ttl">The session dies when not renewed within this (Consul may wait up to twice as long).</param>
    /// <param name="lockDelay">After the session dies, nobody may take its locks for this long.</param>
    /// <param name="behavior">What happens to its locks when it dies.</param>
    /// <param name="checks">The health checks (ids on the local agent's node) it dies with; null: Consul's default,
    /// the node's <c>serfHealth</c>. Each must exist and not be critical, or Consul refuses the session.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> CreateAsync(
        string name,
        TimeSpan ttl,
        TimeSpan lockDelay,
        ConsulSessionBehavior behavior,
        IReadOnlyList<string>? checks,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, MinTtl);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ttl, MaxTtl);
        ArgumentOutOfRangeException.ThrowIfLessThan(lockDelay, TimeSpan.Zero);
        var request = new SessionCreateRequest(
            name,
            ConsulDuration.Format(ttl),
            ConsulDuration.Format(lockDelay),
            behavior == ConsulSessionBehavior.Delete ? "delete" : "release",
            checks);
        using var body = ConsulHttpClient.Json(request, ConsulJsonContext.Default.SessionCreateRequest);
        var response = await consul.SendAsync(HttpMethod.Put, "/v1/session/create", string.Empty, body, cancellationToken)
            .ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.SessionCreated)?.Id
            ?? throw new CatalogUnavailableException($"Consul at {consul.Options.Address} created a session without an id.");
    }

    /// <summary>Renews the session's TTL; false when the session no longer exists (it expired or was destroyed).</summary>
    public async Task<bool> RenewAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var response = await consul.SendAsync(
                HttpMethod.Put,
                $"/v1/session/renew/{Uri.EscapeDataString(sessionId)}",
                string.Empty,
                null,
                cancellationToken,
                notFoundIsAnswer: true)
            .ConfigureAwait(false);

        // Consul 1.8 answers 404 for an unknown session; some versions answer 200 with an empty list.
        return !response.IsNotFound && response.Body.Length > 0 && !IsEmptyList(response.Body);
    }

    /// <summary>Destroys the session, releasing (or deleting) its locks at once; a missing session is not an error.</summary>
    public Task DestroyAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return consul.SendAsync(
            HttpMethod.Put,
            $"/v1/session/destroy/{Uri.EscapeDataString(sessionId)}",
            string.Empty,
            null,
            cancellationToken,
            notFoundIsAnswer: true);
    }

    private static bool IsEmptyList(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind is JsonValueKind.Null
            || (document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() == 0);
    }
}
