namespace Bollard.Cli;

/// <summary>The arguments of <c>bollard simulate</c>, as its verb parsed them.</summary>
/// <param name="Spec">-f: the service spec (a file or a directory).</param>
/// <param name="Trace">--trace: the load trace (CSV).</param>
/// <param name="Compare">--compare: a second policy, printed side by side.</param>
/// <param name="Json">-o json or --json.</param>
/// <param name="Plot">--plot: where to write the SVG chart.</param>
/// <param name="StartDelay">--start-delay, if given.</param>
/// <param name="Service">--service: which service of a file that holds several.</param>
internal sealed record SimulateArguments(string Spec, string Trace, string? Compare, bool Json, string? Plot, TimeSpan? StartDelay, string? Service);
