namespace Bollard.Scaler.Specs;

/// <summary>
/// How long a version whose replicas keep failing at start waits before its next create: <see cref="Initial"/> after the
/// first failed start, doubling with each one after it up to <see cref="Max"/> (each wait varied by up to 20% so that
/// many crashing services do not retry in step). A replica of the version that passes its check and has run for
/// <see cref="ResetAfter"/> clears the count; a replica that fails later than that is not a failed start.
/// Not part of the version: changing it replaces no container.
/// </summary>
public sealed record CrashBackoffSpec
{
    public static readonly CrashBackoffSpec Default = new();

    public TimeSpan Initial { get; init; } = SpecDefaults.CrashBackoffInitial;

    public TimeSpan Max { get; init; } = SpecDefaults.CrashBackoffMax;

    public TimeSpan ResetAfter { get; init; } = SpecDefaults.CrashBackoffResetAfter;
}
