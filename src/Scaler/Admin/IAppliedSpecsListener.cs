using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>Told when a new set of specs becomes the desired state (by an apply, or restored at start), e.g. to
/// update the balancer's routes, which the scaler does not know about.</summary>
public interface IAppliedSpecsListener
{
    void OnApplied(IReadOnlyList<ServiceSpec> specs);
}
