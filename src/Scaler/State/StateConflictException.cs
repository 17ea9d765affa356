namespace Bollard.Scaler.State;

/// <summary>
/// A check-and-set write lost: the record changed in the state store since it was read (another controller, or a write
/// of this one that timed out but landed). Nothing was written; the next pass reads the record again and decides anew.
/// </summary>
public sealed class StateConflictException : Exception
{
    public StateConflictException()
    {
    }

    public StateConflictException(string message)
        : base(message)
    {
    }

    public StateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
