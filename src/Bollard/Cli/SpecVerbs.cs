using System.Text.Json;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>validate (local), plan and apply (through the daemon).</summary>
internal static class SpecVerbs
{
    public static int Validate(CliArguments args, CliContext context)
    {
        var paths = args.Files.Concat(args.Positionals).ToList();
        if (paths.Count == 0)
        {
            throw CliArguments.Usage("validate needs at least one PATH");
        }

        var failed = false;
        foreach (var path in paths)
        {
            try
            {
                // No version: the agent computes it, from the image as its engine pins it and the environment as its
                // secrets key digests it; neither is known here.
                foreach (var spec in SpecLoader.LoadPath(path))
                {
                    context.Out.WriteLine($"{spec.Source}: service '{spec.Name}' is valid (replicas {SpecFacts.ReplicasText(spec)})");
                }
            }
            catch (SpecValidationException e)
            {
                context.Error.WriteLine(e.Message);
                failed = true;
            }
        }

        return failed ? CommandLine.Failed : CommandLine.Ok;
    }

    public static async Task<int> PlanAsync(CliArguments args, CliContext context, bool apply, CancellationToken cancellationToken)
    {
        var files = SpecFiles.Read(args.Files.Concat(args.Positionals).ToList());
        using var client = AdminClient.Create(args, context);
        var request = new SpecFilesRequest(files);
        if (!apply)
        {
            var plan = await client.PostJsonAsync<PlanResult>("v1/plan", request, cancellationToken);
            context.Out.Write(args.Json ? Json(plan) : FormatPlan(plan));
            return CommandLine.Ok;
        }

        var applied = await client.PostJsonAsync<ApplyResult>("v1/apply", request, cancellationToken);
        context.Out.Write(args.Json ? Json(applied) : FormatPlan(applied.Plan) + $"Applied ({applied.Audit.Outcome}), recorded as {applied.Audit.Actor} at {CliTable.Time(applied.Audit.At)}.\n");
        return CommandLine.Ok;
    }

    public static string FormatPlan(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var table = CliTable.Format(
            ["SERVICE", "CHANGE", "VERSION", "REPLICAS", "CREATE", "REMOVE", "WEIGHTS"],
            plan.Services.Select(s => (IReadOnlyList<string>)[
                s.Service,
                s.Change.ToString().ToLowerInvariant(),
                s.FromVersion == s.ToVersion ? CliTable.Short(s.ToVersion) : $"{CliTable.Short(s.FromVersion)} -> {CliTable.Short(s.ToVersion)}",
                s.FromReplicas == s.ToReplicas ? s.ToReplicas ?? "-" : $"{s.FromReplicas ?? "-"} -> {s.ToReplicas ?? "-"}",
                CliTable.Number(s.ContainersToCreate),
                CliTable.Number(s.ContainersToRemove),
                s.Weights.Count == 0 ? "-" : string.Join(" ", s.Weights.Select(w => $"{CliTable.Short(w.Version)}={CliTable.Percent(w.Percent)}"))]));
        var details = plan.Services.SelectMany(s => s.Changes.Select(c => $"  {s.Service}: {c}\n")
            .Append(s.PinnedImage is { } pin && s.Change != PlanChange.Removed ? $"  {s.Service}: runs {pin}\n" : ""));
        int Count(PlanChange change) => plan.Services.Count(s => s.Change == change);
        var summary = plan.HasChanges
            ? $"Plan: {Count(PlanChange.Added)} to add, {Count(PlanChange.Changed)} to change, {Count(PlanChange.Removed)} to remove.\n"
            : "No changes.\n";
        return table + string.Concat(details) + summary;
    }

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, CliJson.Options) + "\n";
}

internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web) { WriteIndented = true };
}
