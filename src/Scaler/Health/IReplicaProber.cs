namespace Bollard.Scaler.Health;

/// <summary>Runs one health check of a replica. The HTTP implementation is the real one; unit tests use a fake.</summary>
public interface IReplicaProber
{
    /// <summary>True when <paramref name="url"/> answered 2xx within <paramref name="timeout"/>; never throws for a
    /// failed probe (only on cancellation of <paramref name="cancellationToken"/>).</summary>
    Task<bool> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken);
}
