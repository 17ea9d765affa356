namespace Bollard.Balancer.LoadBalancing;

/// <summary>How a replica is picked among the candidates left after the version and zone steps.</summary>
public enum DestinationPicking
{
    /// <summary>Weighted least-request, power of two choices: two random candidates, the less loaded one wins.</summary>
    PowerOfTwoChoices,

    /// <summary>Each candidate in turn; slow start does not apply.</summary>
    RoundRobin,
}
