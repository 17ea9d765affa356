using Bollard.Scaler.Specs;
using Microsoft.Extensions.Primitives;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The desired services as the state store holds them, followed by every agent (the balancer routes by them): the
/// specs as last applied through any agent, or the spec files the agent started with while nothing was applied.
/// </summary>
public interface IAppliedSpecsSource
{
    /// <summary>The desired services; null until the state store first answered (keep what you have meanwhile).</summary>
    IReadOnlyList<ServiceSpec>? Current { get; }

    /// <summary>Fires after <see cref="Current"/> changed.</summary>
    IChangeToken GetChangeToken();
}
