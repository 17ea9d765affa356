using System.Globalization;
using System.Text;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.State;

namespace Bollard.Cli;

/// <summary>status, decisions and audit: read-only views of the daemon.</summary>
internal static class StatusVerbs
{
    public static async Task<int> StatusAsync(CliArguments args, CliContext context, CancellationToken cancellationToken)
    {
        using var client = AdminClient.Create(args, context);
        if (args.Positionals is [var service])
        {
            var status = await client.GetAsync<ServiceStatus>($"v1/services/{Uri.EscapeDataString(service)}", cancellationToken);
            context.Out.Write(args.Json ? SpecVerbs.Json(status) : FormatService(status));
            return CommandLine.Ok;
        }

        var all = await client.GetAsync<List<ServiceStatus>>("v1/services", cancellationToken);
        context.Out.Write(args.Json ? SpecVerbs.Json(all) : FormatServices(all));
        return CommandLine.Ok;
    }

    public static async Task<int> DecisionsAsync(CliArguments args, CliContext context, CancellationToken cancellationToken)
    {
        using var client = AdminClient.Create(args, context);
        var path = args.Positionals is [var service] ? $"v1/services/{Uri.EscapeDataString(service)}/decisions" : "v1/decisions";
        var decisions = await client.GetAsync<List<Decision>>(path, cancellationToken);
        context.Out.Write(args.Json ? SpecVerbs.Json(decisions) : CliTable.Format(
            ["TIME", "SERVICE", "ACTION", "SUBJECT", "OUTCOME", "REASON"],
            decisions.Select(d => (IReadOnlyList<string>)[CliTable.Time(d.At), d.Service, d.Action, d.Subject ?? "-", d.Outcome, d.Reason])));
        return CommandLine.Ok;
    }

    public static async Task<int> AuditAsync(CliArguments args, CliContext context, CancellationToken cancellationToken)
    {
        using var client = AdminClient.Create(args, context);
        var query = args.Positionals is [var service] ? $"?service={Uri.EscapeDataString(service)}" : "";
        var entries = await client.GetAsync<List<AuditEntry>>("v1/audit" + query, cancellationToken);
        context.Out.Write(args.Json ? SpecVerbs.Json(entries) : CliTable.Format(
            ["TIME", "ACTOR", "ACTION", "SERVICE", "OUTCOME", "DETAILS"],
            entries.Select(e => (IReadOnlyList<string>)[CliTable.Time(e.At), e.Actor, e.Action, e.Service ?? "-", e.Outcome, e.Details])));
        return CommandLine.Ok;
    }

    public static string FormatServices(IReadOnlyList<ServiceStatus> services) => CliTable.Format(
        ["SERVICE", "VERSION", "REPLICAS", "HEALTHY", "HEALTH", "ROUTE"],
        services.Select(s => (IReadOnlyList<string>)[s.Name, CliTable.Short(s.Version), s.Replicas, CliTable.Number(s.HealthyReplicas), s.Health, Route(s)]));

    public static string FormatService(ServiceStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"service:       {s.Name}\n");
        text.Append(CultureInfo.InvariantCulture, $"image:         {s.Image}\n");
        text.Append(CultureInfo.InvariantCulture, $"pinned to:     {s.PinnedImage ?? "not pinned yet"}\n");
        text.Append(CultureInfo.InvariantCulture, $"version:       {s.Version}\n");
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
