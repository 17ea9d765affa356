namespace Bollard.Scaler.Simulation;

/// <summary>
/// The replicas of the simulated service: ready ones, and starting ones that become ready at a known time. A scale-out
/// starts replicas that are ready a start delay later; a scale-in removes starting replicas first (the newest first),
/// then ready ones, at once (draining is not modelled: a removed replica stops taking new requests at once).
/// </summary>
internal sealed class SimulatedReplicas(int ready)
{
    // Ready times of starting replicas, earliest first (every replica starts with the same delay, so appending keeps order).
    private readonly List<TimeSpan> _starting = [];

    public int Ready { get; private set; } = ready;

    public int Starting => _starting.Count;

    /// <summary>All replicas that exist, as the agent counts them: ready and starting.</summary>
    public int Live => Ready + _starting.Count;

    /// <summary>Replicas whose start delay has passed become ready.</summary>
    public void Advance(TimeSpan now)
    {
        var done = _starting.FindIndex(at => at > now) is >= 0 and var i ? i : _starting.Count;
        Ready += done;
        _starting.RemoveRange(0, done);
    }

    public void ScaleTo(int desired, TimeSpan now, TimeSpan startDelay)
    {
        for (var add = desired - Live; add > 0; add--)
        {
            _starting.Add(now + startDelay);
        }

        for (var remove = Live - desired; remove > 0; remove--)
        {
            if (_starting.Count > 0)
            {
                _starting.RemoveAt(_starting.Count - 1);
            }
            else
            {
                Ready--;
            }
        }
    }
}
