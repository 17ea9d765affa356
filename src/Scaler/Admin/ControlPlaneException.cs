namespace Bollard.Scaler.Admin;

/// <summary>Why a control-plane request could not be done; the API answers with the matching status code.</summary>
public enum ControlPlaneError
{
    /// <summary>400: the request is wrong (the message says which part).</summary>
    Invalid,

    /// <summary>404: no such service or rollout.</summary>
    NotFound,

    /// <summary>409: the request clashes with the current state (a rollout already runs, a concurrent apply).</summary>
    Conflict,

    /// <summary>501: not available in this version.</summary>
    NotAvailable,

    /// <summary>503: a dependency (state store, catalog) cannot be reached; retry later.</summary>
    Unavailable,

    /// <summary>413: the request body is larger than the API takes.</summary>
    TooLarge,

    /// <summary>422: the request is well-formed but names what is not there (an image the host's engine lacks).</summary>
    Unprocessable,
}

/// <summary>A control-plane request that was refused; <see cref="Exception.Message"/> is shown to the operator.</summary>
public sealed class ControlPlaneException : Exception
{
    public ControlPlaneException()
    {
    }

    public ControlPlaneException(string message)
        : base(message)
    {
    }

    public ControlPlaneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ControlPlaneException(ControlPlaneError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public ControlPlaneError Error { get; } = ControlPlaneError.Invalid;

    /// <summary>Facts a script may read from the answer (problem details extensions, e.g. the image and the host).</summary>
    public IReadOnlyDictionary<string, object?>? Facts { get; init; }
}
