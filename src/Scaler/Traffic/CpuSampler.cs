using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Traffic;

/// <summary>
/// Turns each pass's CPU samples of a service's replicas into their average CPU percent, remembering the samples for
/// the next pass. Pure: the samples come in, no I/O. The average is null unless every replica has a rate, so a first
/// pass, a new replica or a failed read is missing data, never low load (the autoscaler does not scale in on missing
/// data).
/// </summary>
/// <param name="minWindow">
/// The shortest span a rate is measured over. Passes can follow each other within a quarter second while replicas start;
/// a rate over so short a span is mostly noise, so until the span is long enough the container's last rate stands.
/// </param>
internal sealed class CpuSampler(TimeSpan minWindow)
{
    /// <summary>What <c>docker stats</c> measures over.</summary>
    public static readonly TimeSpan DefaultMinWindow = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Dictionary<string, Kept>> _kept = new(StringComparer.Ordinal);

    public CpuSampler()
        : this(DefaultMinWindow)
    {
    }

    /// <summary>Records this pass's samples of the service (one per replica, null when unread) and returns the average.</summary>
    public double? Advance(string service, IReadOnlyList<(string ContainerId, ContainerCpuSample? Sample)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var before = _kept.GetValueOrDefault(service);

        // Only this pass's replicas are kept: what was kept of removed containers goes with them.
        var current = new Dictionary<string, Kept>(StringComparer.Ordinal);
        double total = 0;
        var complete = samples.Count > 0;
        foreach (var (id, sample) in samples)
        {
            var kept = sample is null ? null : Next(before?.GetValueOrDefault(id), sample);
            if (kept is not null)
            {
                current[id] = kept;
            }

            if (kept?.Percent is { } percent)
            {
                total += percent;
            }
            else
            {
                complete = false;
            }
        }

        _kept[service] = current;
        return complete ? total / samples.Count : null;
    }

    /// <summary>Drops what is kept of a service (gone, or no longer scaled on CPU), so a later return starts afresh.</summary>
    public void Forget(string service) => _kept.Remove(service);

    private Kept Next(Kept? kept, ContainerCpuSample sample)
    {
        if (kept is null || sample.TotalUsageNanoseconds < kept.Baseline.TotalUsageNanoseconds)
        {
            // First sight, or a counter that went back (restarted in place): a new baseline, no rate yet.
            return new Kept(sample, null);
        }

        if (sample.ReadAt - kept.Baseline.ReadAt < minWindow)
        {
            return kept;
        }

        return new Kept(sample, CpuUsage.PercentOfOneCore(kept.Baseline, sample));
    }

    /// <summary>The sample rates are measured from, and the last rate measured.</summary>
    private sealed record Kept(ContainerCpuSample Baseline, double? Percent);
}
