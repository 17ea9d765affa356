using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Discovery.Supervision;

/// <summary>
/// How the agent's background loops are doing: one <see cref="LoopStatus"/> per loop, read by /healthz and the metrics.
/// A loop that keeps failing shows here (and keeps trying); it never stops the agent.
/// </summary>
public sealed class LoopHealth
{
    private readonly ConcurrentDictionary<string, LoopStatus> _loops = new(StringComparer.Ordinal);
    private readonly Func<double> _random;

    /// <param name="time">The clock of the failure and success times and of the supervisors' backoffs.</param>
    /// <param name="random">Jitter for the backoffs, in [0, 1); injected so that tests are repeatable.</param>
    /// <param name="logger">Where a supervisor says that a loop failed and is restarted; none when null.</param>
    public LoopHealth(TimeProvider time, Func<double> random, ILogger<LoopHealth>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        (Time, _random, Logger) = (time, random, logger ?? NullLogger<LoopHealth>.Instance);
    }

    internal TimeProvider Time { get; }

    /// <summary>A health record of its own, for a component used alone (a test, a tool): nobody reads it.</summary>
    public static LoopHealth Detached(TimeProvider? time = null) => new(time ?? TimeProvider.System, static () => 0.5);

    internal ILogger Logger { get; }

    /// <summary>The status of the loop called <paramref name="name"/>, created on first use.</summary>
    public LoopStatus Track(string name) => _loops.GetOrAdd(name, n => new LoopStatus(n, Time, _random));

    /// <summary>Every loop's state now, by name.</summary>
    public IReadOnlyList<LoopReport> Report() => [.. _loops.Values.Select(l => l.Report()).OrderBy(r => r.Name, StringComparer.Ordinal)];
}
