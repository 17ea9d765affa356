namespace Bollard.Scaler.Health;

/// <summary>
/// Probes a replica that has just been started, often, until its first check passes or its start period is over.
/// Passes probe every replica only every few hundred milliseconds at best (and not at all while a pass is still
/// creating other replicas); a replica that is up should be registered within a probe interval of answering.
/// </summary>
internal static class StartupProbe
{
    /// <summary>True once a probe passed; false when none did within <paramref name="startPeriod"/>.</summary>
    /// <returns>Whether it passed, and how many probes it took.</returns>
    public static async Task<(bool Passed, int Probes)> UntilPassingAsync(
        IReplicaProber prober, Uri url, TimeSpan timeout, TimeSpan every, TimeSpan startPeriod, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var probes = 1; ; probes++)
        {
            if (await prober.ProbeAsync(url, timeout, cancellationToken))
            {
                return (true, probes);
            }

            if (time.GetElapsedTime(started) + every >= startPeriod)
            {
                return (false, probes);
            }

            await Task.Delay(every, time, cancellationToken);
        }
    }
}
