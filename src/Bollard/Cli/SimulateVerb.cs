using Bollard.Scaler.Simulation;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>
/// <c>bollard simulate</c>: replays a load trace through the agent's autoscaling code, offline (see
/// <see cref="Simulator"/>). The file I/O is here; the parsing, the simulation and the chart are pure.
/// </summary>
internal static class SimulateVerb
{
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
