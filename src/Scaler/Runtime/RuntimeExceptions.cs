namespace Bollard.Scaler.Runtime;

/// <summary>The container engine could not be reached; the message names the endpoint.</summary>
public sealed class RuntimeUnavailableException : Exception
{
    public RuntimeUnavailableException()
    {
    }

    public RuntimeUnavailableException(string message)
        : base(message)
    {
    }

    public RuntimeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The engine answered but refused the operation (unknown image, name conflict...).</summary>
public sealed class ContainerOperationException : Exception
{
    public ContainerOperationException()
    {
    }

    public ContainerOperationException(string message)
        : base(message)
    {
    }

    public ContainerOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
