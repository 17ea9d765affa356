namespace Bollard.Scaler.Specs;

/// <summary>One problem in a YAML file, located precisely enough for an operator to fix it without guessing.</summary>
/// <param name="File">The file, as given (relative paths stay relative).</param>
/// <param name="Line">1-based line; 0 when the problem is the file as a whole.</param>
/// <param name="Column">1-based column; 0 when unknown.</param>
/// <param name="Field">The dotted field path (e.g. <c>health.interval</c>); empty for the document itself.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record SpecError(string File, long Line, long Column, string Field, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return Field.Length > 0 ? $"{where}: {Field}: {Message}" : $"{where}: {Message}";
    }
}
