namespace Bollard.Discovery.Supervision;

/// <summary>
/// One background loop's record of failures and successes. The loop calls <see cref="Succeeded"/> or
/// <see cref="Failed"/> once per pass; both say whether the change is worth a log line, so a loop that fails for an
/// hour logs when it starts failing, when the error changes, and when it recovers, not on every pass. A loop whose
/// passes must not hang (the reconcile loop, the balancer's routing) also calls <see cref="BeginPass"/>: a pass that
/// began long ago and never ended is a wedged loop, which the systemd watchdog reports by its silence. Waiting between
/// passes (for the next turn, a wake-up, the controller lock, a backoff) is not a pass, however long it lasts.
/// </summary>
public sealed class LoopStatus
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private int _failures;
    private long _totalFailures;
    private string? _lastError;
    private Type? _lastErrorType;
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastTurn;
    private DateTimeOffset? _passStarted;

    internal LoopStatus(string name, TimeProvider time, Func<double> random)
    {
        Name = name;
        (_time, _random) = (time, random);
    }

    public string Name { get; }

    /// <summary>Failed passes in a row (0 while it succeeds).</summary>
    public int ConsecutiveFailures
    {
        get
        {
            lock (_lock)
            {
                return _failures;
            }
        }
    }

    /// <summary>Records that a pass begins; it ends with <see cref="Succeeded"/> or <see cref="Failed"/>.</summary>
    public void BeginPass()
    {
        lock (_lock)
        {
            _passStarted = _time.GetUtcNow();
        }
    }

    /// <summary>Records a pass that worked.</summary>
    /// <returns>The failures in a row that this success ends (0 when it was not failing): worth a log line when above 0.</returns>
    public int Succeeded()
    {
        lock (_lock)
        {
            var ended = _failures;
            _failures = 0;
            _failingSince = _passStarted = null;
            _lastSuccess = _lastTurn = _time.GetUtcNow();
            return ended;
        }
    }

    /// <summary>Records a pass that failed.</summary>
    /// <returns>True when this is news (the first failure in a row, or a different kind of error): log it.</returns>
    public bool Failed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_lock)
        {
            var news = _failures == 0 || error.GetType() != _lastErrorType;
            _failures++;
            _totalFailures++;
            _lastError = error.Message;
            _lastErrorType = error.GetType();
            _lastTurn = _time.GetUtcNow();
            _failingSince ??= _lastTurn;
            _passStarted = null;
            return news;
        }
    }

    /// <summary>How long to wait before the next attempt after the failures so far (see <see cref="LoopBackoff"/>).</summary>
    public TimeSpan Backoff(TimeSpan first, TimeSpan max) => LoopBackoff.Delay(Math.Max(ConsecutiveFailures, 1), first, max, _random());

    public LoopReport Report()
    {
        lock (_lock)
        {
            return new LoopReport(Name, _failures, _totalFailures, _failures > 0 ? _lastError : null, _failingSince, _lastSuccess, _lastTurn, _passStarted);
        }
    }
}

/// <summary>One loop's state at a moment.</summary>
/// <param name="Name">The loop.</param>
/// <param name="ConsecutiveFailures">Failed passes in a row; 0 when healthy.</param>
/// <param name="TotalFailures">Failed passes since the agent started.</param>
/// <param name="LastError">What the last failure said, while it is failing.</param>
/// <param name="FailingSince">When the current run of failures began.</param>
/// <param name="LastSuccess">When a pass last worked.</param>
/// <param name="LastTurn">When a pass last ended, either way.</param>
/// <param name="PassStarted">When the pass under way began, for a loop that reports its passes' start; null while it
/// waits between passes. A pass that began long ago is a wedged loop.</param>
public sealed record LoopReport(
    string Name,
    int ConsecutiveFailures,
    long TotalFailures,
    string? LastError,
    DateTimeOffset? FailingSince,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastTurn,
    DateTimeOffset? PassStarted = null)
{
    public bool Healthy => ConsecutiveFailures == 0;
}
