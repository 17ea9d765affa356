using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>The arguments of <c>bollard simulate</c>. Flags take their value either as <c>--flag value</c> or <c>--flag=value</c>.</summary>
internal sealed record SimulateArguments(string Spec, string Trace, string? Compare, bool Json, string? Plot, TimeSpan? StartDelay, string? Service)
{
    /// <exception cref="CliException">A missing or unknown flag or a bad value (exit code 2).</exception>
    public static SimulateArguments Parse(IReadOnlyList<string> args)
    {
        string? spec = null, trace = null, compare = null, plot = null, service = null, output = null;
        TimeSpan? startDelay = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw CliArguments.Usage($"{name} needs a value"));
            switch (name)
            {
                case "-f" or "--file": spec = Once(spec, name, Value()); break;
                case "--trace": trace = Once(trace, name, Value()); break;
                case "--compare": compare = Once(compare, name, Value()); break;
                case "--plot": plot = Once(plot, name, Value()); break;
                case "--service": service = Once(service, name, Value()); break;
                case "-o" or "--output": output = Once(output, name, Value()); break;
                case "--json": output = "json"; break;
                case "--start-delay": startDelay = Delay(Value()); break;
                default: throw CliArguments.Usage(name.StartsWith('-') ? $"simulate: unknown option '{name}'" : $"simulate: unexpected argument '{name}'");
            }
        }

        if (spec is null || trace is null)
        {
            throw CliArguments.Usage("simulate needs -f SPEC.yaml and --trace TRACE.csv");
        }

        if (output is not (null or "table" or "json"))
        {
            throw CliArguments.Usage($"simulate: -o must be table or json, got '{output}'");
        }

        return new SimulateArguments(spec, trace, compare, output == "json", plot, startDelay, service);
    }

    private static string Once(string? previous, string name, string value) =>
        previous is null ? value : throw CliArguments.Usage($"simulate: {name} given twice");

    private static TimeSpan Delay(string text) =>
        Durations.TryParse(text, out var delay) && delay >= TimeSpan.Zero
            ? delay
            : throw CliArguments.Usage($"simulate: --start-delay must be a duration such as 3s or 500ms, got '{text}'");
}
