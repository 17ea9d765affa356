using System.Text.Json;
using Bollard.Cli;

namespace Bollard.IntegrationTests.Cli;

/// <summary>
/// plan and apply through the real executable against a running agent: what an apply keeps, what it removes and when
/// it asks first, every field in the plan, a canary's first step, and the plan id that protects two operators from
/// each other. Each test works on services of its own.
/// </summary>
public sealed class CliApplyTests(CliDaemonFixture daemon) : IClassFixture<CliDaemonFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-apply-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Apply_keeps_services_missing_from_its_files_and_removes_them_with_prune_only_after_confirmation()
    {
        var victim = Name("victim");
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", Write("victim.yaml", Spec(victim)))).Code);
        var other = Write("other.yaml", Spec(Name("other")));

        var plan = await daemon.RunAsync("plan", "-f", other, "--detailed-exitcode");
        Assert.True(plan.Code == CommandLine.ChangesPending, plan.ToString());
        Assert.Matches($@"{victim}\s+kept", plan.Out);
        Assert.Matches(@"\d+ not in the files and kept \(--prune removes them\)", plan.Out);

        var applied = await daemon.RunAsync("apply", "-f", other);
        Assert.True(applied.Code == CommandLine.Ok, applied.ToString());
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("status", victim)).Code);

        // --prune would remove it: without a terminal to confirm on, and without --yes, nothing happens.
        var pruned = await daemon.RunAsync("plan", "-f", other, "--prune");
        Assert.Contains($"caution: {victim}: removes the service and its", pruned.Out, StringComparison.Ordinal);
        var refused = await daemon.RunAsync("apply", "-f", other, "--prune");
        Assert.True(refused.Code == CommandLine.Failed, refused.ToString());
        Assert.Contains("not applied: it needs confirmation (", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"{victim}: removes the service and its", refused.Error, StringComparison.Ordinal);
        Assert.Contains("there is no terminal to ask on; run it again with --yes", refused.Error, StringComparison.Ordinal);
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("status", victim)).Code);

        // With -o json, standard output stays for the apply's JSON: the plan and the refusal go to standard error.
        var refusedJson = await daemon.RunAsync("apply", "-f", other, "--prune", "-o", "json");
        Assert.True(refusedJson.Code == CommandLine.Failed && refusedJson.Out.Length == 0, refusedJson.ToString());
        Assert.Contains($"caution: {victim}: removes the service and its", refusedJson.Error, StringComparison.Ordinal);

        var confirmed = await daemon.RunAsync("apply", "-f", other, "--prune", "--yes");
        Assert.True(confirmed.Code == CommandLine.Ok, confirmed.ToString());
        Assert.Contains("(404)", (await daemon.RunAsync("status", victim)).Error, StringComparison.Ordinal);
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("status", Name("other"))).Code);
    }

    [Fact]
    public async Task An_apply_cutting_a_services_replicas_by_more_than_half_asks_first()
    {
        var name = Name("cut");
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", Write("cut3.yaml", Spec(name).Replace("replicas: 1", "replicas: 3", StringComparison.Ordinal)))).Code);
        var cut = Write("cut1.yaml", Spec(name));

        // The plan counts the replicas that run: once the three do, going to one is a cut by more than half.
        var plan = await Eventually.ValueAsync(
            () => daemon.RunAsync("plan", "-f", cut),
            p => p.Out.Contains($"caution: {name}: lowers the replicas from 3 to 1", StringComparison.Ordinal),
            "the plan's caution about the cut, once three replicas run",
            TimeSpan.FromSeconds(90));
        Assert.Equal(CommandLine.Ok, plan.Code);

        var refused = await daemon.RunAsync("apply", "-f", cut);
        Assert.True(refused.Code == CommandLine.Failed, refused.ToString());
        Assert.Contains($"not applied: it needs confirmation ({name}: lowers the replicas from 3 to 1)", refused.Error, StringComparison.Ordinal);
        Assert.Matches(@"replicas:\s+3 desired", (await daemon.RunAsync("status", name)).Out);

        var confirmed = await daemon.RunAsync("apply", "-f", cut, "--yes");
        Assert.True(confirmed.Code == CommandLine.Ok, confirmed.ToString());
        Assert.Contains("No changes.", (await daemon.RunAsync("plan", "-f", cut)).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no\n", CommandLine.Failed)]
    [InlineData("yes\n", CommandLine.Ok)]
    public async Task On_a_terminal_apply_asks_and_applies_only_on_yes(string answer, int expected)
    {
        var kept = Name($"keep{expected}");
        var doomed = Name($"doomed{expected}");
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", Write($"{doomed}.yaml", Spec(doomed)))).Code);
        var keep = Write($"{kept}.yaml", Spec(kept));

        // `script` runs the executable on a terminal of its own (a pty), passing our answer to it as typed input.
        var command = $"{BollardExecutable.FilePath} apply -f {keep} --prune --server {daemon.Server} --token-file {daemon.TokenFile}";
        var output = await Shell.RunAsync("bash", $"printf '{answer.TrimEnd()}\\n' | script -q -e -c '{command}' /dev/null; echo \"exit=$?\"");

        Assert.Contains($"caution: {doomed}: removes the service", output, StringComparison.Ordinal);
        Assert.Contains("Apply it? Only 'yes' applies:", output, StringComparison.Ordinal);
        Assert.Contains($"exit={expected}", output, StringComparison.Ordinal);
        var status = await daemon.RunAsync("status", doomed);
        Assert.Equal(expected == CommandLine.Ok ? CommandLine.Failed : CommandLine.Ok, status.Code);
        if (expected == CommandLine.Failed)
        {
            Assert.Contains("not applied (the answer was not 'yes')", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Plan_shows_a_change_of_any_field_and_exits_2_with_detailed_exitcode_only_when_something_changes()
    {
        var name = Name("fields");
        var file = Write("fields.yaml", Spec(name));
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", file)).Code);
        var same = await daemon.RunAsync("plan", "-f", file, "--detailed-exitcode");
        Assert.True(same.Code == CommandLine.Ok, same.ToString());
        Assert.Contains("No changes.", same.Out, StringComparison.Ordinal);

        // Fields that change no container: placement, health timings, the analysis of a future rollout.
        var edited = Spec(name) + "placement: {maxSkew: 2}\nrollout:\n  canary: {steps: [{setWeight: 10}]}\n  analysis: {failureLimit: 3}\n";
        var plan = await daemon.RunWithAsync(edited, "plan", "-f", "-", "--detailed-exitcode");

        Assert.True(plan.Code == CommandLine.ChangesPending, plan.ToString());
        Assert.Contains($"{name}: placement.maxSkew: 1 -> 2", plan.Out, StringComparison.Ordinal);
        Assert.Contains($"{name}: rollout.analysis.failureLimit: 2 -> 3", plan.Out, StringComparison.Ordinal);
        Assert.Contains($"{name}: rollout.strategy: rolling {{maxSurge 1, maxUnavailable 0}} -> canary {{steps [setWeight 10%]}}", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to add, 1 to change, 0 to remove.", plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_plan_shows_its_first_weight_step()
    {
        var name = Name("canary");
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", Write("canary.yaml", Spec(name) + "rollout:\n  canary: {steps: [{setWeight: 10}, {pause: 5s}, {setWeight: 50}]}\n"))).Code);
        var v2 = Write("canary-v2.yaml", Spec(name, "v2") + "rollout:\n  canary: {steps: [{setWeight: 10}, {pause: 5s}, {setWeight: 50}]}\n");

        var plan = await daemon.RunAsync("plan", "-f", v2, "-o", "json");

        Assert.True(plan.Code == CommandLine.Ok, plan.ToString());
        var service = JsonDocument.Parse(plan.Out).RootElement.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == name);
        var weights = service.GetProperty("weights").EnumerateArray().Select(w => (w.GetProperty("version").GetString(), w.GetProperty("percent").GetDouble())).ToList();
        Assert.Equal([(service.GetProperty("fromVersion").GetString(), 90.0), (service.GetProperty("toVersion").GetString(), 10.0)], weights);
    }

    [Fact]
    public async Task An_apply_with_the_id_of_a_plan_made_before_the_state_moved_is_refused_with_409()
    {
        var first = Write("first.yaml", Spec(Name("first")));
        var second = Write("second.yaml", Spec(Name("second")));
        var plan = await daemon.RunAsync("plan", "-f", first, "-o", "json");
        var id = JsonDocument.Parse(plan.Out).RootElement.GetProperty("planId").GetString()!;
        Assert.Contains($"Plan id: {id}", (await daemon.RunAsync("plan", "-f", first)).Out, StringComparison.Ordinal);

        // Another operator applies meanwhile.
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", second)).Code);
        var stale = await daemon.RunAsync("apply", "-f", first, "--plan-id", id);

        Assert.True(stale.Code == CommandLine.Failed, stale.ToString());
        Assert.Contains("(409)", stale.Error, StringComparison.Ordinal);
        Assert.Contains($"the desired state has changed since plan {id} was made", stale.Error, StringComparison.Ordinal);
        Assert.Contains("(404)", (await daemon.RunAsync("status", Name("first"))).Error, StringComparison.Ordinal);
        var fresh = JsonDocument.Parse((await daemon.RunAsync("plan", "-f", first, "-o", "json")).Out).RootElement.GetProperty("planId").GetString()!;
        Assert.Equal(CommandLine.Ok, (await daemon.RunAsync("apply", "-f", first, $"--plan-id={fresh}")).Code);
    }

    private string Name(string what) => $"{daemon.Agent.Service}-{what}";

    private static string Spec(string name, string tag = "v1") => $$"""
        name: {{name}}
        image: {{TestEnvironment.SampleImage}}:{{tag}}
        port: 8080
        replicas: 1
        health: {interval: 500ms}
        drainTimeout: 1s
        stopGracePeriod: 2s

        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
