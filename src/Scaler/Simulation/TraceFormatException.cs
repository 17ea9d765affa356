namespace Bollard.Scaler.Simulation;

/// <summary>A load trace cannot be used. <see cref="Exception.Message"/> lists every problem found, one a line, each
/// as <c>file:line: what</c>.</summary>
public sealed class TraceFormatException : Exception
{
    public TraceFormatException()
        : this([])
    {
    }

    public TraceFormatException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public TraceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public TraceFormatException(IReadOnlyList<string> problems)
        : base(problems.Count == 0 ? "invalid trace" : string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
