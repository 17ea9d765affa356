namespace Bollard.Scaler.Reconcile;

/// <summary>A service whose live load asks for <paramref name="Asked"/> replicas while it was last decided at
/// <paramref name="Decided"/>: the reconcile loop runs a pass now instead of at its next resync.</summary>
internal readonly record struct LoadRise(string Service, int Decided, int Asked);
