namespace Bollard.Discovery.Embedded;

/// <summary>One registration and the state of its health check. Immutable: every change is a new entry.</summary>
/// <param name="Registration">What was registered.</param>
/// <param name="Passing">The check's status; only passing entries are healthy.</param>
/// <param name="CriticalSince">When the check became critical; null while passing.</param>
/// <param name="NextProbeAt">When the check is next due.</param>
/// <param name="Failures">Failed probes in a row since the last pass.</param>
internal sealed record EmbeddedEntry(
    ServiceRegistration Registration,
    bool Passing,
    DateTimeOffset? CriticalSince,
    DateTimeOffset NextProbeAt,
    int Failures = 0)
{
    public static EmbeddedEntry Registered(ServiceRegistration registration, DateTimeOffset now) =>
        registration.Check.InitiallyPassing
            ? new(registration, true, null, now + registration.Check.Interval)

            // Not yet proven healthy: probe at once so that a healthy replica becomes routable without a full interval.
            : new(registration, false, now, now);

    /// <summary>The entry after a probe that started at <paramref name="started"/> and ended at <paramref name="now"/>.</summary>
    public EmbeddedEntry AfterProbe(bool passed, DateTimeOffset started, DateTimeOffset now)
    {
        var failures = passed ? 0 : Failures + 1;

        // A passing check stays passing until enough failures in a row; one not yet passing stays critical.
        var passing = passed || (Passing && failures < Registration.Check.FailuresBeforeCritical);
        return this with
        {
            Passing = passing,
            Failures = failures,
            CriticalSince = passing ? null : CriticalSince ?? now,
            NextProbeAt = started + Registration.Check.Interval,
        };
    }

    /// <summary>Critical for longer than the registration allows: the catalog forgets it, as Consul's reaper does.</summary>
    public bool IsExpired(DateTimeOffset now) =>
        CriticalSince is { } since && now - since >= Registration.Check.DeregisterCriticalAfter;

    /// <summary>The next moment this entry needs attention: its probe, or its removal.</summary>
    public DateTimeOffset NextDue =>
        CriticalSince is { } since && since + Registration.Check.DeregisterCriticalAfter < NextProbeAt
            ? since + Registration.Check.DeregisterCriticalAfter
            : NextProbeAt;
}
