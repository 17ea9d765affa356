namespace Bollard.Agent;

/// <summary>
/// How `bollard agent` ends, for systemd and scripts (the BSD sysexits values). Nothing that happens while the agent
/// runs stops it (a store, catalog or engine outage, a failed pass, a conflict: those are retried and shown in
/// /healthz and the metrics); only what makes starting pointless or a bug ends the process.
/// </summary>
internal static class AgentExitCodes
{
    /// <summary>Stopped as asked (SIGTERM, Ctrl+C).</summary>
    public const int Stopped = 0;

    /// <summary>EX_SOFTWARE: something failed that should not have (a bug); restarting may help.</summary>
    public const int Crashed = 70;

    /// <summary>EX_TEMPFAIL: cannot start now (the listen address is taken, the state directory is locked by another
    /// agent or cannot be written, the admin token cannot be read); restarting later may work.</summary>
    public const int CannotStartNow = 75;

    /// <summary>EX_CONFIG: the agent config or the spec files are invalid; restarting cannot help until they are fixed
    /// (the unit's RestartPreventExitStatus).</summary>
    public const int InvalidConfig = 78;
}
