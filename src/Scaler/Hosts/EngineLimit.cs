namespace Bollard.Scaler.Hosts;

/// <summary>
/// How many creates one engine gets at once, adapted to its answer times by AIMD (as TCP's congestion window): each
/// create answered within <see cref="EngineLimitOptions.SlowAnswer"/> adds 1/limit (one more permit once a whole
/// limit's worth answered quickly); a slower answer, or none (the engine timed out or could not be reached), halves it.
/// Always within [<see cref="EngineLimitOptions.Min"/>, <see cref="EngineLimitOptions.Max"/>]. Pure.
/// </summary>
/// <param name="Value">The limit, fractional: whole permits are its floor.</param>
public readonly record struct EngineLimit(double Value)
{
    public static EngineLimit Start(EngineLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Math.Clamp(options.Initial, options.Min, options.Max));
    }

    /// <summary>Creates allowed at once.</summary>
    public int Permits => (int)Math.Floor(Value);

    /// <param name="answer">How long the engine took to answer (created and started, or refused).</param>
    /// <param name="answered">False when the engine did not answer in time or could not be reached.</param>
    /// <param name="options">The bounds and the slow answer time.</param>
    public EngineLimit After(TimeSpan answer, bool answered, EngineLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var next = !answered || answer > options.SlowAnswer ? Value / 2 : Value + (1 / Value);
        return new(Math.Clamp(next, options.Min, options.Max));
    }
}

/// <summary>The bounds of <see cref="EngineLimit"/>; defaults suit one engine starting .NET replicas on a small host.</summary>
public sealed record EngineLimitOptions
{
    public int Initial { get; init; } = 4;

    public int Min { get; init; } = 1;

    public int Max { get; init; } = 16;

    /// <summary>A create and start answered slower than this says the engine is loaded: the limit halves.</summary>
    public TimeSpan SlowAnswer { get; init; } = TimeSpan.FromSeconds(5);
}
