using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>validate (local), plan and apply (through the daemon).</summary>
internal static class SpecVerbs
{
    public const string DetailedExitCode = "--detailed-exitcode";

    public static Verb Validate(CliOptions options, CliContext context)
    {
        var verb = new Verb("validate", "Check spec files or directories locally (no daemon needed); prints every problem with file, line and field")
        {
            Examples =
            [
                "bollard validate services/",
                "bollard validate web.yaml api.yaml      # also catches a service declared in both",
                "cat web.yaml | bollard validate -",
                "bollard validate services/ -o json",
            ],
        };
        var files = SpecFiles.FileOption();
        verb.Options.Add(files);
        var paths = SpecFiles.PathArgument(verb);
        verb.Arguments.Add(paths);
        options.AddTo(verb, daemon: false);
        verb.SetAction(result =>
        {
            var settings = options.Read(result);
            var errors = new List<SpecError>();
            var texts = SpecFiles.ReadTexts(SpecFiles.Paths(result, files, paths, "validate"), context, errors);
            IReadOnlyList<ServiceSpec> specs;
            try
            {
                // All paths at once: a service declared in two of them is caught.
                specs = SpecLoader.LoadTexts(texts, errors);
            }
            catch (SpecValidationException e)
            {
                if (settings.Json)
                {
                    context.Out.Write(Json(new { valid = false, errors = e.Errors.Select(x => new { file = x.File, line = x.Line, column = x.Column, field = x.Field, message = x.Message, text = x.ToString() }) }));
                }
                else
                {
                    context.Error.WriteLine(e.Message);
                }

                return CommandLine.Failed;
            }

            // No version: the agent computes it, from the image as its engine pins it and the environment as its
            // secrets key digests it; neither is known here.
            var services = specs.Select(s => new { name = s.Name, source = s.Source, replicas = SpecFacts.ReplicasText(s) }).ToList();
            context.Out.Write(settings.Json
                ? Json(new { valid = true, services })
                : string.Concat(services.Select(s => $"{s.source}: service '{s.name}' is valid (replicas {s.replicas})\n")));
            return CommandLine.Ok;
        });
        return verb;
    }

    public static Verb Plan(CliOptions options, CliContext context)
    {
        var verb = new Verb("plan", "Show what apply would change: services added, changed, kept or removed, containers, routes, weights; prints the plan's id")
        {
            Examples =
            [
                "bollard plan -f services/",
                "bollard plan -f services/ --prune          # also shows the services apply --prune would remove",
                "bollard plan -f services/ --detailed-exitcode || [ $? -eq 2 ] && echo changes pending",
            ],
        };
        var files = SpecFiles.FileOption();
        var prune = PruneOption();
        var detailed = new Option<bool>(DetailedExitCode) { Description = "Exit 0 when nothing would change, 2 when something would, 1 on an error or wrong usage (as terraform plan)" };
        verb.Options.Add(files);
        verb.Options.Add(prune);
        verb.Options.Add(detailed);
        var paths = SpecFiles.PathArgument(verb);
        verb.Arguments.Add(paths);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            var specs = SpecFiles.Read(SpecFiles.Paths(result, files, paths, "plan"), context);
            using var client = AdminClient.Create(settings, context);
            var plan = await client.PostJsonAsync<PlanResult>($"v1/plan?prune={Flag(result.GetValue(prune))}", new SpecFilesRequest(specs), cancellationToken);
            context.Out.Write(settings.Json ? Json(plan) : FormatPlan(plan) + $"Plan id: {plan.PlanId} (apply --plan-id {plan.PlanId} applies only onto the same desired state)\n");
            return result.GetValue(detailed) && plan.HasChanges ? CommandLine.ChangesPending : CommandLine.Ok;
        });
        return verb;
    }

    public static Verb Apply(CliOptions options, CliContext context)
    {
        var verb = new Verb("apply", "Make these specs the desired state; services not in them stay unless --prune. A removal or a replica cut by more than half asks for confirmation")
        {
            Examples =
            [
                "bollard apply -f services/",
                "bollard apply -f services/ --prune --yes   # remove services no longer in services/, without asking",
                "bollard apply -f web.yaml --plan-id 3f2a9c0d41b7e6a5   # refused (409) if the desired state moved since that plan",
                "cat web.yaml | bollard apply -f -",
            ],
        };
        var files = SpecFiles.FileOption();
        var prune = PruneOption();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed without a terminal when the apply removes or cuts replicas)" };
        var planId = new Option<string>("--plan-id") { Description = "Apply only if the desired state is still the one this plan (from bollard plan) was made against", HelpName = "ID" };
        verb.Options.Add(files);
        verb.Options.Add(prune);
        verb.Options.Add(yes);
        verb.Options.Add(planId);
        var paths = SpecFiles.PathArgument(verb);
        verb.Arguments.Add(paths);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            var specs = SpecFiles.Read(SpecFiles.Paths(result, files, paths, "apply"), context);
            var request = new SpecFilesRequest(specs);
            var query = $"prune={Flag(result.GetValue(prune))}";
            using var client = AdminClient.Create(settings, context);
            var plan = await client.PostJsonAsync<PlanResult>($"v1/plan?{query}", request, cancellationToken);
            if (plan.Cautions.Count > 0 && !result.GetValue(yes) && !Confirmation.Ask(plan, context, settings.Json))
            {
                return CommandLine.Failed;
            }

            // The apply carries the plan it was confirmed on (or the one given): if the state moved meanwhile, it is refused.
            var id = result.GetValue(planId) ?? plan.PlanId;
            var applied = await client.PostJsonAsync<ApplyResult>($"v1/apply?{query}&planId={Uri.EscapeDataString(id)}", request, cancellationToken);
            context.Out.Write(settings.Json ? Json(applied) : FormatPlan(applied.Plan) + $"Applied ({applied.Audit.Outcome}), recorded as {applied.Audit.Actor} at {CliTable.Time(applied.Audit.At)}.\n");
            return CommandLine.Ok;
        });
        return verb;
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
            .Append(s.PinnedImage is { } pin && s.Change is not (PlanChange.Removed or PlanChange.Kept) ? $"  {s.Service}: runs {pin}\n" : ""));
        var cautions = plan.Cautions.Select(c => $"  caution: {c}\n");
        int Count(PlanChange change) => plan.Services.Count(s => s.Change == change);
        var kept = Count(PlanChange.Kept) > 0 ? $" {Count(PlanChange.Kept)} not in the files and kept (--prune removes them)." : "";
        var summary = plan.HasChanges
            ? $"Plan: {Count(PlanChange.Added)} to add, {Count(PlanChange.Changed)} to change, {Count(PlanChange.Removed)} to remove.{kept}\n"
            : $"No changes.{kept}\n";
        return table + string.Concat(details) + string.Concat(cautions) + summary;
    }

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, CliJson.Options) + "\n";

    private static Option<bool> PruneOption() => new("--prune") { Description = "Remove the desired services that are not in the given files (without it they are left as they are)" };

    private static string Flag(bool value) => value ? "true" : "false";
}

internal static class CliJson
{
    // Printed, never embedded in HTML: "->" and "'" stay as they are instead of \u003E and \u0027.
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
