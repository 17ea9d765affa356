namespace Bollard.Scaler.Specs;

/// <summary>One or more YAML files are malformed or invalid. <see cref="Exception.Message"/> lists every problem,
/// one a line, each with file, line, field and what is allowed.</summary>
public sealed class SpecValidationException : Exception
{
    public SpecValidationException()
        : this([])
    {
    }

    public SpecValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public SpecValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public SpecValidationException(IReadOnlyList<SpecError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<SpecError> Errors { get; }

    private static string Describe(IReadOnlyList<SpecError> errors) =>
        errors.Count == 0
            ? "invalid specification"
            : $"{errors.Count} problem(s) found:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
}
