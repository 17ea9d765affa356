namespace Bollard.Scaler.State;

/// <summary>One change an operator made (or tried to), kept for good: who, what, on which service, and how it ended.</summary>
/// <param name="At">When it was done.</param>
/// <param name="Actor">Who did it, as the admin API saw the caller (e.g. "alice@host via 127.0.0.1").</param>
/// <param name="Action">What was done: apply, rollout-start, rollout-abort...</param>
/// <param name="Service">The service it concerns; null for a change of several (an apply).</param>
/// <param name="Details">What changed, in words.</param>
/// <param name="Outcome">"ok", or why it failed or was refused.</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? Service, string Details, string Outcome);

/// <summary>The append-only audit log: entries are never changed or removed by Bollard.</summary>
public interface IAuditLog
{
    /// <summary>Appends durably: when it returns, the entry survives a crash.</summary>
    /// <exception cref="StateStoreUnavailableException">The log cannot be written.</exception>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="limit"/> entries (of one service, or of all when null), oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(string? service, int limit, CancellationToken cancellationToken);
}
