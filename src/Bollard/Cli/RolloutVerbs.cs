using Bollard.Scaler.Admin;

namespace Bollard.Cli;

/// <summary>rollout start|status|pause|resume|promote|abort|undo SERVICE.</summary>
internal static class RolloutVerbs
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(CliArguments args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Positionals is not [var action, var service])
        {
            throw CliArguments.Usage("usage: bollard rollout start|status|pause|resume|promote|abort|undo SERVICE");
        }

        using var client = AdminClient.Create(args, context);
        var path = $"v1/services/{Uri.EscapeDataString(service)}/rollout";
        RolloutStatus status;
        switch (action)
        {
            case "start":
                status = await client.PostJsonAsync<RolloutStatus>(path, new RolloutRequest(args.Image ?? throw CliArguments.Usage("rollout start needs --image IMAGE"), null), cancellationToken);
                break;
            case "status" when args.Watch:
                return await WatchAsync(client, path, args, context, cancellationToken);
            case "status":
                status = await client.GetAsync<RolloutStatus>(path, cancellationToken);
                break;
            case "pause" or "resume" or "promote" or "abort" or "undo":
                status = await client.PostJsonAsync<RolloutStatus>($"{path}/{action}", new { }, cancellationToken);
                break;
            default:
                throw CliArguments.Usage($"unknown rollout action '{action}'");
        }

        context.Out.Write(args.Json ? SpecVerbs.Json(status) : OneLine(status) + "\n");
        return CommandLine.Ok;
    }

    /// <summary>Prints the rollout each time it changes, every second, until it finishes or Ctrl+C.</summary>
    private static async Task<int> WatchAsync(AdminClient client, string path, CliArguments args, CliContext context, CancellationToken cancellationToken)
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
