using System.CommandLine;
using Bollard.Scaler.Admin;
using AdminCommand = Bollard.Scaler.Admin.RolloutCommand;

namespace Bollard.Cli;

/// <summary>rollout start|status|pause|resume|promote|abort|undo SERVICE.</summary>
internal static class RolloutVerbs
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static Verb Create(CliOptions options, CliContext context)
    {
        var rollout = new Verb("rollout", "Start, follow and steer a service's rollout (the spec's strategy: rolling, canary or blue/green)")
        {
            Examples =
            [
                "bollard rollout start web --image registry.example.com/web:1.4",
                "bollard rollout status web --watch",
                "bollard rollout promote web        # skip the remaining steps",
                "bollard rollout undo web           # back to the previous version",
            ],
        };
        rollout.Subcommands.Add(Start(options, context));
        rollout.Subcommands.Add(StatusVerb(options, context));
        foreach (var (command, what) in new[]
        {
            (AdminCommand.Pause, "Hold the rollout at its step (analysis keeps running and can still roll back)"),
            (AdminCommand.Resume, "Continue a paused rollout"),
            (AdminCommand.Promote, "Skip the remaining steps: all traffic to the new version"),
            (AdminCommand.Abort, "Stop the rollout: the new version goes, the stable one keeps serving"),
            (AdminCommand.Undo, "Go back to the version before the last rollout"),
        })
        {
            rollout.Subcommands.Add(Command(command, what, options, context));
        }

        return rollout;
    }

    private static Verb Start(CliOptions options, CliContext context)
    {
        var verb = new Verb("start", "Start a rollout of a new image (the rest of the spec unchanged)")
        {
            Examples = ["bollard rollout start web --image bollard-sample:v2"],
        };
        var service = CommandLine.RejectOptionLike(Service(), verb);
        var image = new Option<string>("--image") { Description = "The new image (resolved again on the engine, even under the same tag)", HelpName = "IMAGE", Required = true };
        verb.Arguments.Add(service);
        verb.Options.Add(image);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            using var client = AdminClient.Create(settings, context);
            var status = await client.PostJsonAsync<RolloutStatus>(PathOf(result.GetValue(service)!), new RolloutRequest(result.GetValue(image)!, null), cancellationToken);
            context.Out.Write(settings.Json ? SpecVerbs.Json(status) : OneLine(status) + "\n");
            return CommandLine.Ok;
        });
        return verb;
    }

    private static Verb StatusVerb(CliOptions options, CliContext context)
    {
        var verb = new Verb("status", "Where the service's rollout is: phase, step, weights, why")
        {
            Examples = ["bollard rollout status web", "bollard rollout status web --watch   # until it ends; exit 0 if it succeeded, 1 if not"],
        };
        var service = CommandLine.RejectOptionLike(Service(), verb);
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow it, a line each time it changes, until it ends (Ctrl+C stops)" };
        verb.Arguments.Add(service);
        verb.Options.Add(watch);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            using var client = AdminClient.Create(settings, context);
            var path = PathOf(result.GetValue(service)!);
            if (result.GetValue(watch))
            {
                return await WatchAsync(client, path, settings, context, cancellationToken);
            }

            var status = await client.GetAsync<RolloutStatus>(path, cancellationToken);
            context.Out.Write(settings.Json ? SpecVerbs.Json(status) : OneLine(status) + "\n");
            return CommandLine.Ok;
        });
        return verb;
    }

    private static Verb Command(AdminCommand command, string description, CliOptions options, CliContext context)
    {
        var name = command.ToString().ToLowerInvariant();
        var verb = new Verb(name, description) { Examples = [$"bollard rollout {name} web"] };
        var service = CommandLine.RejectOptionLike(Service(), verb);
        verb.Arguments.Add(service);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            using var client = AdminClient.Create(settings, context);
            var status = await client.PostJsonAsync<RolloutStatus>($"{PathOf(result.GetValue(service)!)}/{name}", new { }, cancellationToken);
            context.Out.Write(settings.Json ? SpecVerbs.Json(status) : OneLine(status) + "\n");
            return CommandLine.Ok;
        });
        return verb;
    }

    private static Argument<string> Service() => new("SERVICE") { Description = "The service" };

    private static string PathOf(string service) => $"v1/services/{Uri.EscapeDataString(service)}/rollout";

    /// <summary>Prints the rollout each time it changes, every second, until it finishes or Ctrl+C.</summary>
    private static async Task<int> WatchAsync(AdminClient client, string path, CliSettings args, CliContext context, CancellationToken cancellationToken)
    {
        string? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var status = await client.GetAsync<RolloutStatus>(path, cancellationToken);
            var line = args.Json ? SpecVerbs.Json(status).ReplaceLineEndings(" ").TrimEnd() : $"{CliTable.Time(status.UpdatedAt)}  {OneLine(status)}";
            if (line != last)
            {
                context.Out.WriteLine(line);
                last = line;
            }

            if (status.Finished)
            {
                return status.Phase == RolloutPhase.Succeeded ? CommandLine.Ok : CommandLine.Failed;
            }

            try
            {
                await Task.Delay(Refresh, context.Time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return CommandLine.Ok;
    }

    public static string OneLine(RolloutStatus r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var bar = r.TotalSteps > 0 ? $"[{new string('#', r.Step * 20 / r.TotalSteps).PadRight(20, '.')}] " : "";
        var weights = string.Join(" ", r.Weights.Select(w => $"{CliTable.Short(w.Version)}={CliTable.Percent(w.Percent)}"));
        return $"{r.Service} {r.Strategy} {CliTable.Short(r.FromVersion)} -> {CliTable.Short(r.ToVersion)}: {r.Phase.ToString().ToLowerInvariant()} {bar}step {r.Step}/{r.TotalSteps} {weights}{(r.Message is null ? "" : $" ({r.Message})")}";
    }
}
