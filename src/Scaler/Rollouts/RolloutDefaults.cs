namespace Bollard.Scaler.Rollouts;

/// <summary>The defaults of every rollout field, in one place (the folder README's table mirrors this).</summary>
public static class RolloutDefaults
{
    public const int MaxSurge = 1;
    public const int MaxUnavailable = 0;
    public const double MinSuccessRate = 0.99;
    public const double MaxP99Ratio = 1.5;
    public const int MinRequests = 20;
    public const int FailureLimit = 2;

    /// <summary>Failed starts in a row of the new version, with none of its replicas ready, that roll it back.</summary>
    public const int FailedStartLimit = 3;

    /// <summary>How many analysis checks a <see cref="RolloutState"/> keeps (the decision log keeps them all).</summary>
    public const int RecentChecks = 10;

    public static readonly TimeSpan MaxP99 = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan AnalysisInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RollbackWindow = TimeSpan.FromMinutes(10);

    /// <summary>5%, 25%, 50% with 30 s between (three analysis checks each at the default interval), then promotion.</summary>
    public static readonly ValueList<CanaryStep> CanarySteps =
    [
        new SetWeightStep(50), new PauseStep(TimeSpan.FromSeconds(30)),
        new SetWeightStep(250), new PauseStep(TimeSpan.FromSeconds(30)),
        new SetWeightStep(500), new PauseStep(TimeSpan.FromSeconds(30)),
    ];
}
