using System.Globalization;
using Bollard.Discovery.Consul;

namespace Bollard.Scaler.State;

/// <summary>
/// The audit log in Consul KV: one key per entry, <c>bollard/&lt;cluster&gt;/audit/&lt;UTC timestamp&gt;-&lt;seq&gt;</c>, so
/// keys sort in time order. Each key is created with check-and-set 0 (create only): an entry is never overwritten,
/// and two daemons appending in the same tick take the next sequence number.
/// </summary>
public sealed class ConsulAuditLog(ConsulKeyValueStore kv, string cluster) : IAuditLog
{
    private const int MaxAttempts = 100;
    private readonly string _prefix = ClusterKeys.AuditPrefix(cluster);

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var value = AuditJson.Serialize(entry);
        var stamp = entry.At.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture);
        for (var seq = 0; seq < MaxAttempts; seq++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{_prefix}{stamp}-{seq:D4}");
            if (await ConsulStateStore.Guard(() => kv.TryPutAsync(key, value, 0, cancellationToken)))
            {
                return;
            }
        }

        throw new StateStoreUnavailableException($"cannot append to the audit log under {_prefix}: {MaxAttempts} entries already at {stamp}");
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var entries = await ConsulStateStore.Guard(() => kv.ListAsync(_prefix, cancellationToken));
        return AuditJson.Last(entries.Select(e => AuditJson.TryParse(e.Value.Span)).OfType<AuditEntry>(), service, limit);
    }
}
