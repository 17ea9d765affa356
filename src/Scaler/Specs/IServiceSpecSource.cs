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

    public IReadOnlyList<ServiceSpec> Current => _current;

    /// <summary>The specs it was created with (the agent's spec files): desired while nothing has been applied.</summary>
    public IReadOnlyList<ServiceSpec> Initial { get; } = [.. specs];

    public void Replace(IEnumerable<ServiceSpec> specs) => _current = [.. specs];
}
