using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Health;

/// <summary>What one proxied request says about the replica that served it.</summary>
internal enum OutlierSignal
{
    /// <summary>Nothing about the replica: the client went away, or the request never left the balancer.</summary>
    Ignore,
    Success,
    Failure,
}

/// <summary>A decision on one replica after a failure, with the reason it was (not) ejected.</summary>
internal readonly record struct EjectionDecision(bool Eject, int Ejections, TimeSpan Duration, string Reason);

/// <summary>
/// The pure rules of outlier ejection (no clock, no state): the policy passes in what it observed and applies the
/// decision through YARP's health updater.
/// </summary>
internal static class OutlierRules
{
    public static OutlierSignal Classify(int statusCode, ForwarderError error, bool clientAborted)
    {
        if (clientAborted)
        {
            // A client cancelling says nothing about the replica, whatever error the forwarder saw because of it.
            return OutlierSignal.Ignore;
        }

        return error switch
        {
            ForwarderError.None => statusCode >= 500 ? OutlierSignal.Failure : OutlierSignal.Success,
            ForwarderError.Request
                or ForwarderError.RequestTimedOut
                or ForwarderError.RequestBodyDestination
                or ForwarderError.ResponseHeaders
                or ForwarderError.ResponseBodyDestination
                or ForwarderError.UpgradeRequestDestination
                or ForwarderError.UpgradeResponseDestination => OutlierSignal.Failure,
            // Client-side failures, cancellations, our own request creation, no destination at all.
            _ => OutlierSignal.Ignore,
        };
    }

    /// <summary>Decides whether a replica with <paramref name="consecutiveFailures"/> is ejected now, and for how long.</summary>
    /// <param name="previousEjections">How often it was ejected before (see <see cref="Decayed"/>).</param>
    /// <param name="sinceLastEjection">Time since its last ejection started; null if never ejected.</param>
    /// <param name="destinations">Replicas of the service in routing now.</param>
    /// <param name="ejectedNow">Of those, ejected at this moment (not counting this one).</param>
    public static EjectionDecision Decide(
        int consecutiveFailures,
        int previousEjections,
        TimeSpan? sinceLastEjection,
        int destinations,
        int ejectedNow,
        OutlierDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (consecutiveFailures < options.ConsecutiveFailures)
        {
            return new EjectionDecision(false, previousEjections, TimeSpan.Zero, "below the failure threshold");
        }

        if (!CapAllows(destinations, ejectedNow, options.MaxEjectedShare))
        {
            return new EjectionDecision(
                false, previousEjections, TimeSpan.Zero, $"{ejectedNow} of {destinations} replicas already ejected, the cap is {options.MaxEjectedShare:P0}");
        }

        var ejections = Decayed(previousEjections, sinceLastEjection, options) + 1;
        return new EjectionDecision(true, ejections, DurationOf(ejections, options), $"{consecutiveFailures} consecutive failures");
    }

    /// <summary>Base x n, capped: repeated offenders stay out longer.</summary>
    public static TimeSpan DurationOf(int ejections, OutlierDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ticks = Math.Min((double)options.BaseEjectionTime.Ticks * Math.Max(1, ejections), options.MaxEjectionTime.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Past ejections are forgiven once the last one has been over for <c>MaxEjectionTime</c>.</summary>
    public static int Decayed(int previousEjections, TimeSpan? sinceLastEjection, OutlierDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (previousEjections <= 0 || sinceLastEjection is not { } since)
        {
            return 0;
        }

        return since >= DurationOf(previousEjections, options) + options.MaxEjectionTime ? 0 : previousEjections;
    }

    /// <summary>One more ejection keeps the ejected at or below floor(share x replicas).</summary>
    public static bool CapAllows(int destinations, int ejectedNow, double maxShare) =>
        ejectedNow + 1 <= Math.Floor(destinations * maxShare);
}
