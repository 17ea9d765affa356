namespace Bollard.Scaler.Simulation;

/// <summary>
/// How the simulated agent behaves, beyond the spec. The intervals are the agent's own defaults
/// (<see cref="ScalerOptions"/>), so the simulated loop decides when the real one would.
/// </summary>
/// <param name="StartDelay">From a scale-out decision to the new replica passing its health check.</param>
public sealed record SimulationSettings(TimeSpan StartDelay)
{
    public static readonly TimeSpan DefaultStartDelay = TimeSpan.FromSeconds(3);

    public static SimulationSettings Default { get; } = new(DefaultStartDelay);

    /// <summary>A pass runs this long after the last one (<see cref="ScalerOptions.ResyncInterval"/>).</summary>
    public TimeSpan ResyncInterval { get; init; } = new ScalerOptions().ResyncInterval;

    /// <summary>...or this long while replicas are starting (<see cref="ScalerOptions.StartingPollInterval"/>).</summary>
    public TimeSpan StartingPollInterval { get; init; } = new ScalerOptions().StartingPollInterval;

    /// <summary>Load is checked this often between passes, and a rise runs a pass at once
    /// (<see cref="ScalerOptions.LoadCheckInterval"/>). Also the simulation's time step.</summary>
    public TimeSpan LoadCheckInterval { get; init; } = new ScalerOptions().LoadCheckInterval;
}
