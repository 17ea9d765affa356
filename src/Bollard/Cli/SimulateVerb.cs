using System.CommandLine;
using Bollard.Scaler.Simulation;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>
/// <c>bollard simulate</c>: replays a load trace through the agent's autoscaling code, offline (see
/// <see cref="Simulator"/>). The file I/O is here; the parsing, the simulation and the chart are pure.
/// </summary>
internal static class SimulateVerb
{
    public static Verb Create(CliOptions options, CliContext context)
    {
        var verb = new Verb("simulate", "Replay a load trace through the autoscaler, offline: replicas, cost and time above target")
        {
            Examples =
            [
                "bollard simulate -f web.yaml --trace trace.csv",
                "bollard simulate -f web.yaml --trace trace.csv -o json",
                "bollard simulate -f web.yaml --compare web-fast.yaml --trace trace.csv --plot chart.svg",
            ],
        };
        var spec = new Option<string>("--file", "-f") { Description = "The service spec (a file or a directory)", HelpName = "SPEC", Required = true };
        var trace = new Option<string>("--trace") { Description = "The load trace: CSV of time,rps[,p95_ms][,cpu]", HelpName = "CSV", Required = true };
        var compare = new Option<string>("--compare") { Description = "A second policy, printed side by side with the differences", HelpName = "SPEC" };
        var plot = new Option<string>("--plot") { Description = "Write an SVG chart of the load and each policy's replicas", HelpName = "FILE" };
        var startDelay = new Option<string>("--start-delay") { Description = "From a scale-out decision to the new replica taking traffic [default: 3s]", HelpName = "DURATION" };
        var service = new Option<string>("--service") { Description = "The service, when the spec holds several", HelpName = "NAME" };
        foreach (var option in new Option[] { spec, trace, compare, plot, startDelay, service })
        {
            verb.Options.Add(option);
        }

        options.AddTo(verb, daemon: false);
        verb.SetAction(result => Run(
            new SimulateArguments(
                result.GetValue(spec)!,
                result.GetValue(trace)!,
                result.GetValue(compare),
                options.Read(result).Json,
                result.GetValue(plot),
                result.GetValue(startDelay) is { } delay ? Delay(delay) : null,
                result.GetValue(service)),
            context));
        return verb;
    }

    private static TimeSpan Delay(string text) =>
        Durations.TryParse(text, out var delay) && delay >= TimeSpan.Zero
            ? delay
            : throw CommandLine.UsageError($"simulate: --start-delay must be a duration such as 3s or 500ms, got '{text}'");

    public static int Run(SimulateArguments args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var first = LoadService(args.Spec, args.Service, null);
            var specs = args.Compare is null ? [first] : new[] { first, LoadService(args.Compare, args.Service, first.Name) };
            var trace = TraceParser.Parse(args.Trace, ReadText(args.Trace));
            var settings = new SimulationSettings(args.StartDelay ?? SimulationSettings.DefaultStartDelay);
            var targets = SloTargets.Of(first.Autoscaling);
            var results = specs.Select(spec => Simulator.Run(spec, trace, settings, targets)).ToList();
            context.Out.Write(args.Json
                ? SimulationReport.Json(trace, settings.StartDelay, results)
                : SimulationReport.Table(trace, settings.StartDelay, results));
            if (args.Plot is { } plot)
            {
                WriteText(plot, SvgChart.Render(trace, results));
                context.Error.WriteLine($"bollard: chart written to {plot}");
            }

            return CommandLine.Ok;
        }
        catch (SpecValidationException e)
        {
            context.Error.WriteLine(e.Message);
            return CommandLine.Failed;
        }
        catch (TraceFormatException e)
        {
            context.Error.WriteLine(e.Message);
            return CommandLine.Failed;
        }
    }

    /// <summary>The one service of a spec file, or the one named: --service, else the first spec's service when
    /// comparing.</summary>
    private static ServiceSpec LoadService(string path, string? wanted, string? firstName)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliException(CommandLine.Failed, $"bollard: {path}: no such file");
        }

        var specs = SpecLoader.LoadPath(path);
        var name = wanted ?? (specs.Count > 1 ? firstName : null);
        if (name is null)
        {
            return specs.Count == 1 ? specs[0]
                : throw new CliException(CommandLine.Failed, $"bollard: {path}: defines {specs.Count} services ({string.Join(", ", specs.Select(s => s.Name))}); choose one with --service NAME");
        }

        return specs.FirstOrDefault(s => s.Name == name)
            ?? throw new CliException(CommandLine.Failed, $"bollard: {path}: no service '{name}' (it defines {string.Join(", ", specs.Select(s => s.Name))})");
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(CommandLine.Failed, $"bollard: {path}: cannot read: {e.Message}");
        }
    }

    private static void WriteText(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(CommandLine.Failed, $"bollard: {path}: cannot write the chart: {e.Message}");
        }
    }
}
