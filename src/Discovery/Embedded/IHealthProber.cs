namespace Bollard.Discovery.Embedded;

/// <summary>Runs one health check probe. The embedded catalog's only I/O, so tests swap in a fake.</summary>
public interface IHealthProber
{
    /// <summary>True when the check passes; false on any failure, including its timeout. Never throws for a failed probe.</summary>
    Task<bool> ProbeAsync(HealthCheckRegistration check, CancellationToken cancellationToken);
}
