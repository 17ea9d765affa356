namespace Bollard.Scaler.Reconcile;

/// <summary>
/// This agent may not act now: in cluster mode it no longer holds the controller lock, or cannot prove it still does
/// (<see cref="IReconcileGate.EnsureOpenAsync"/>). The pass, or the removal, stops where it is; whoever controls the
/// cluster now decides from what it observes.
/// </summary>
public sealed class NotLeadingException : Exception
{
    public NotLeadingException()
    {
    }

    public NotLeadingException(string message)
        : base(message)
    {
    }

    public NotLeadingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
