namespace Bollard.Scaler.Specs;

/// <summary>The desired services now. The host fills it from the YAML files at start (and, later, from applies).</summary>
public interface IServiceSpecSource
{
    IReadOnlyList<ServiceSpec> Current { get; }
}

/// <summary>A spec source held in memory and replaced as a whole.</summary>
public sealed class InMemoryServiceSpecSource(IEnumerable<ServiceSpec> specs) : IServiceSpecSource
{
    private volatile IReadOnlyList<ServiceSpec> _current = [.. specs];
    private volatile IReadOnlyList<ServiceSpec> _initial = [.. specs];

    public IReadOnlyList<ServiceSpec> Current => _current;

    /// <summary>
    /// The agent's spec files, as it started with them or as a reload (SIGHUP) read them again: desired while nothing
    /// has been applied.
    /// </summary>
    public IReadOnlyList<ServiceSpec> Initial => _initial;

    public void Replace(IEnumerable<ServiceSpec> specs) => _current = [.. specs];

    /// <summary>The spec files read again by a reload.</summary>
    public void ReplaceFiles(IEnumerable<ServiceSpec> specs) => _initial = [.. specs];
}
