namespace Bollard.Scaler.State;

/// <summary>The state store cannot be read or written (disk error, Consul unreachable); the message says which and why.</summary>
public sealed class StateStoreUnavailableException : Exception
{
    public StateStoreUnavailableException()
    {
    }

    public StateStoreUnavailableException(string message)
        : base(message)
    {
    }

    public StateStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
