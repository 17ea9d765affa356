using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Admin;

public sealed class SpecComparisonTests
{
    private static readonly Bollard.Scaler.Secrets.SecretKey Key = Bollard.Scaler.Secrets.SecretKey.Ephemeral();

    /// <summary>A spec with every optional block given, so that every field of the parsed spec has a value to change.</summary>
    private const string Text = """
        name: web
        image: app:v1
        port: 8080
        replicas: {min: 2, max: 6}
        autoscaling:
          metrics:
            - {type: rps, target: 50}
            - {type: p95, target: 200ms}
        placement: {maxSkew: 2}
        env: {LOG_LEVEL: info}
        envFrom: {file: /etc/bollard/web.env}
        security: {user: "1000:1000", readOnlyRootFilesystem: true, capabilities: {add: [NET_BIND_SERVICE]}, tmpfs: [{path: /tmp, size: 64Mi}]}
        health: {path: /health, interval: 2s, timeout: 1s, startPeriod: 30s, unhealthyThreshold: 3}
        route: {host: web.example.com, pathPrefix: /api, timeout: 5s, maxConcurrentRequests: 100, slowStart: 5s}
        resources: {cpus: 0.5, memory: 256Mi, pids: 200}
        drainTimeout: 5s
        stopGracePeriod: 5s
        rollout:
          canary:
            steps: [{setWeight: 10}, {pause: 30s}, {analysis: {}}, {setWeight: 50}]
          analysis: {minSuccessRate: 0.95, maxP99: 300ms, maxP99Ratio: 2, minRequests: 10, interval: 5s, failureLimit: 3}
        """;

    internal static readonly ServiceSpec Full = Assert.Single(SpecLoader.LoadTexts([("web.yaml", Text)]));

    [Fact]
    public void A_change_of_any_field_of_the_spec_is_shown_by_its_path_and_changes_the_plan_id()
    {
        var variations = SpecVariations.Of(Full).ToList();
        var id = ApplyPlanner.PlanId([Digested(Full)]);

        Assert.True(variations.Count > 40, $"only {variations.Count} variations: the walk over the spec's fields stopped early");
        foreach (var (path, changed) in variations)
        {
            var differences = SpecComparison.Differences(Full, changed);
            Assert.True(
                differences.Any(d => Covers(d[..d.IndexOf(": ", StringComparison.Ordinal)], path)),
                $"changing '{path}' is not in the plan (it shows: {string.Join("; ", differences)})");
            Assert.True(id != ApplyPlanner.PlanId([Digested(changed)]), $"changing '{path}' leaves the plan id as it was");
        }
    }

    [Fact]
    public void The_same_spec_from_another_file_has_no_differences_and_the_same_plan_id()
    {
        var moved = Full with { Source = "elsewhere.yaml" };

        Assert.Empty(SpecComparison.Differences(Full, moved));
        Assert.Equal(ApplyPlanner.PlanId([Full]), ApplyPlanner.PlanId([moved]));
    }

    [Theory]
    [InlineData("health:\n  interval: 5s\n", "health.interval: 2s -> 5s")]
    [InlineData("placement: {maxSkew: 1}\n", "placement.maxSkew: 2 -> 1")]
    [InlineData("autoscaling:\n  metrics: [{type: rps, target: 80}]\n  tolerance: 0.2\n", "autoscaling.tolerance: 0.1 -> 0.2")]
    [InlineData("rollout:\n  rolling: {maxSurge: 2}\n", "rollout.strategy: canary {steps [setWeight 10%, pause 30s, analysis, setWeight 50%]} -> rolling {maxSurge 2, maxUnavailable 0}")]
    public void Changes_read_as_the_field_its_old_and_its_new_value(string edit, string expected)
    {
        var edited = Assert.Single(SpecLoader.LoadTexts([("web.yaml", Merge(edit))]));

        Assert.Contains(expected, SpecComparison.Differences(Full, edited));
    }

    [Fact]
    public void Environment_values_are_never_shown_only_the_names_that_changed()
    {
        var added = Full with { Env = Full.Env.With("DB_PASSWORD", "hunter2") };
        var changed = Full with { Env = Full.Env.With("LOG_LEVEL", "hunter2") };

        var names = SpecComparison.Differences(Full, added);
        var values = SpecComparison.Differences(Full, changed);

        Assert.Contains("env: DB_PASSWORD added", names);
        Assert.Contains("env: LOG_LEVEL changed", values);
        Assert.DoesNotContain(names.Concat(values), d => d.Contains("hunter2", StringComparison.Ordinal) || d.Contains("info", StringComparison.Ordinal));
        Assert.NotEqual(ApplyPlanner.PlanId([Digested(Full)]), ApplyPlanner.PlanId([Digested(changed)]));
    }

    private static ServiceSpec Digested(ServiceSpec spec) => Bollard.Scaler.Secrets.EnvDigests.Apply(spec, Key);

    private static string Merge(string edit)
    {
        // Replaces the top-level blocks the edit names in the full spec's text.
        var lines = Text.Split('\n');
        var keys = edit.Split('\n').Where(l => l.Length > 0 && l[0] != ' ').Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToHashSet();
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in lines)
        {
            if (line.Length > 0 && line[0] != ' ')
            {
                skipping = keys.Contains(line[..line.IndexOf(':', StringComparison.Ordinal)]);
            }

            if (!skipping)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept).TrimEnd() + "\n" + edit;
    }

    /// <summary>A reported path covers the changed field when it is the field or one of its parents (a replica range
    /// reads "replicas: 2..6 -> 3..6", a list is shown whole).</summary>
    private static bool Covers(string reported, string path) =>
        path == reported || path.StartsWith(reported + ".", StringComparison.Ordinal);
}
