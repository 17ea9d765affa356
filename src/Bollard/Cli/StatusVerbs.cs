using System.CommandLine;
using System.Globalization;
using System.Text;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.State;

namespace Bollard.Cli;

/// <summary>status, decisions and audit: read-only views of the daemon.</summary>
internal static class StatusVerbs
{
    public static Verb Status(CliOptions options, CliContext context)
    {
        var verb = new Verb("status", "Services, or one service: replicas per zone and version, health, weights, rollout")
        {
            Examples = ["bollard status", "bollard status web", "bollard status web -o json | jq .healthyReplicas"],
        };
        var service = CommandLine.RejectOptionLike(ServiceArgument(), verb);
        verb.Arguments.Add(service);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            using var client = AdminClient.Create(settings, context);
            if (result.GetValue(service) is { } name)
            {
                var status = await client.GetAsync<ServiceStatus>($"v1/services/{Uri.EscapeDataString(name)}", cancellationToken);
                context.Out.Write(settings.Json ? SpecVerbs.Json(status) : FormatService(status));
                return CommandLine.Ok;
            }

            var all = await client.GetAsync<List<ServiceStatus>>("v1/services", cancellationToken);
            context.Out.Write(settings.Json ? SpecVerbs.Json(all) : FormatServices(all));
            return CommandLine.Ok;
        });
        return verb;
    }

    public static Verb Decisions(CliOptions options, CliContext context)
    {
        var verb = new Verb("decisions", "Recent decisions of the scaler (scaling, placement, rollouts) and why they were taken")
        {
            Examples = ["bollard decisions", "bollard decisions web", "bollard decisions web -o json"],
        };
        var service = CommandLine.RejectOptionLike(ServiceArgument(), verb);
        verb.Arguments.Add(service);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            using var client = AdminClient.Create(settings, context);
            var path = result.GetValue(service) is { } name ? $"v1/services/{Uri.EscapeDataString(name)}/decisions" : "v1/decisions";
            var decisions = await client.GetAsync<List<Decision>>(path, cancellationToken);
            context.Out.Write(settings.Json ? SpecVerbs.Json(decisions) : CliTable.Format(
                ["TIME", "SERVICE", "ACTION", "SUBJECT", "OUTCOME", "REASON"],
                decisions.Select(d => (IReadOnlyList<string>)[CliTable.Time(d.At), d.Service, d.Action, d.Subject ?? "-", d.Outcome, d.Reason])));
            return CommandLine.Ok;
        });
        return verb;
    }

    public static Verb Audit(CliOptions options, CliContext context)
    {
        var verb = new Verb("audit", "Who changed what (applies, rollout commands), when, and the outcome")
        {
            Examples = ["bollard audit", "bollard audit web -o json"],
        };
        var service = CommandLine.RejectOptionLike(ServiceArgument(), verb);
        verb.Arguments.Add(service);
        options.AddTo(verb, daemon: true);
        verb.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Read(result);
            using var client = AdminClient.Create(settings, context);
            var query = result.GetValue(service) is { } name ? $"?service={Uri.EscapeDataString(name)}" : "";
            var entries = await client.GetAsync<List<AuditEntry>>("v1/audit" + query, cancellationToken);
            context.Out.Write(settings.Json ? SpecVerbs.Json(entries) : CliTable.Format(
                ["TIME", "ACTOR", "ACTION", "SERVICE", "OUTCOME", "DETAILS"],
                entries.Select(e => (IReadOnlyList<string>)[CliTable.Time(e.At), e.Actor, e.Action, e.Service ?? "-", e.Outcome, e.Details])));
            return CommandLine.Ok;
        });
        return verb;
    }

    public static Argument<string?> ServiceArgument() => new("SERVICE") { Arity = ArgumentArity.ZeroOrOne, Description = "One service (all when left out)" };

    public static string FormatServices(IReadOnlyList<ServiceStatus> services) => CliTable.Format(
        ["SERVICE", "VERSION", "REPLICAS", "HEALTHY", "HEALTH", "ROUTE"],
        services.Select(s => (IReadOnlyList<string>)[s.Name, Version(s), s.Replicas, CliTable.Number(s.HealthyReplicas), s.Health, Route(s)]));

    /// <summary>The serving version; a rolled-back desired one is named as such, not as the one serving.</summary>
    private static string Version(ServiceStatus s) =>
        s.RolledBack is null ? CliTable.Short(s.Version) : $"{CliTable.Short(s.ServingVersion)} ({CliTable.Short(s.Version)} rolled back)";

    public static string FormatService(ServiceStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"service:       {s.Name}\n");
        if (s.RolledBack is { } rolledBack)
        {
            // The desired version serves nothing: say so before its image, which would otherwise read as live.
            text.Append(CultureInfo.InvariantCulture, $"serving:       {s.ServingVersion} ({s.ServingImage})\n");
            text.Append(CultureInfo.InvariantCulture, $"rolled back:   {rolledBack}\n");
            text.Append(CultureInfo.InvariantCulture, $"desired:       {s.Version} ({s.PinnedImage ?? s.Image}), not serving\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"image:         {s.Image}\n");
            text.Append(CultureInfo.InvariantCulture, $"pinned to:     {s.PinnedImage ?? "not pinned yet"}\n");
            text.Append(CultureInfo.InvariantCulture, $"version:       {s.Version}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"replicas:      {s.Replicas} desired, {CliTable.Number(s.HealthyReplicas)} healthy ({s.Health})\n");
        text.Append(CultureInfo.InvariantCulture, $"route:         {Route(s)}\n");
        text.Append(CultureInfo.InvariantCulture, $"weights:       {(s.Weights is null ? "not known" : string.Join(" ", s.Weights.Select(w => $"{CliTable.Short(w.Version)}={CliTable.Percent(w.Percent)}")))}\n");
        text.Append(CultureInfo.InvariantCulture, $"availability:  {(s.ExpectedAvailability is { } a ? (a * 100).ToString("0.####", CultureInfo.InvariantCulture) + "% expected" : "not known")}\n");
        text.Append(CultureInfo.InvariantCulture, $"rollout:       {(s.Rollout is { } r ? RolloutVerbs.OneLine(r) : "none")}\n");
        foreach (var m in s.MissingImages ?? [])
        {
            // A host left out of a version's placement (or waiting for a pull) is named with the image it lacks.
            text.Append(CultureInfo.InvariantCulture, $"image missing: host {m.Host} lacks {m.Image} ({CliTable.Short(m.Version)}, {m.State}): {m.Why}\n");
        }

        foreach (var loop in s.CrashLoops ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"crash loop:    {CliTable.Short(loop.Version)} failed to start {loop.FailedStarts} times in a row; next start not before {CliTable.Time(loop.NextStartAt)}\n");
        }

        if (s.ReplicaGroups.Count > 0)
        {
            text.Append('\n').Append(CliTable.Format(
                ["ZONE", "VERSION", "HEALTHY"],
                s.ReplicaGroups.Select(g => (IReadOnlyList<string>)[g.Zone, CliTable.Short(g.Version), CliTable.Number(g.Healthy)])));
        }

        if (s.RecentFailures is { Count: > 0 } failures)
        {
            // Newest first: how each replica ended and its last log lines, indented under it.
            text.Append("\nrecent failures:\n");
            foreach (var f in failures)
            {
                var lines = f.What.Split('\n');
                text.Append(CultureInfo.InvariantCulture, $"  {CliTable.Time(f.At)}  {f.Replica}  {lines[0]}  ({f.Outcome})\n");
                foreach (var line in lines.Skip(1))
                {
                    text.Append(CultureInfo.InvariantCulture, $"      {line}\n");
                }
            }
        }

        return text.ToString();
    }

    private static string Route(ServiceStatus s) =>
        s.Route is null ? "-" : $"{s.Route.Host ?? "*"}{s.Route.PathPrefix ?? "/"}";
}
