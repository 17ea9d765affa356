using System.Text.Json;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

/// <summary>A daemon killed at any point loads the stored state and must take the very same step.</summary>
public sealed class RolloutRestartTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public static TheoryData<string> Options() => ["default", "web"];

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_state_of_every_strategy_survives_a_json_round_trip_and_resumes_at_the_same_step(string options)
    {
        var json = options == "web" ? JsonSerializerOptions.Web : JsonSerializerOptions.Default;
        var history = Scenarios().SelectMany(w => w.History).ToList();

        foreach (var (state, observation, now, step) in history)
        {
            var restored = JsonSerializer.Deserialize<RolloutState>(JsonSerializer.Serialize(state, json), json)!;

            Assert.Equal(state, restored);
            Assert.Equal(state.GetHashCode(), restored.GetHashCode());
            Assert.Equal(step, RolloutEngine.Advance(restored, observation, now));
        }

        Assert.Equal(Enum.GetValues<RolloutPhase>().ToHashSet(), history.Select(h => h.State.Phase).ToHashSet());
    }

    [Fact]
    public void The_stored_form_names_strategies_steps_and_phases()
    {
        var world = Scenarios()[1];
        var text = JsonSerializer.Serialize(world.History[^1].State, JsonSerializerOptions.Web);

        Assert.Contains("\"type\":\"canary\"", text, StringComparison.Ordinal);
        Assert.Contains("{\"type\":\"pause\",\"duration\":null}", text, StringComparison.Ordinal);
        Assert.Contains("\"phase\":\"Paused\"", text, StringComparison.Ordinal);
        Assert.Contains("\"verdict\":\"Pass\"", text, StringComparison.Ordinal);
    }

    private static List<RolloutWorld> Scenarios()
    {
        var success = new RolloutWorld(new CanarySpec());
        success.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        success.Converge();

        var paused = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(25), new AnalysisStep(), new PauseStep(null), new SetWeightStep(500)));
        paused.NewTraffic = RolloutWorld.Quiet;
        paused.RunUntil(s => s.State.Phase == RolloutPhase.Analyzing, Second);
        paused.Now += TimeSpan.FromSeconds(20);
        paused.Converge();
        paused.NewTraffic = RolloutWorld.Good;
        paused.RunUntil(s => s.State.Phase == RolloutPhase.Paused, Second);
        paused.Converge();

        var failing = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(100), new PauseStep(TimeSpan.FromMinutes(5))));
        failing.NewTraffic = RolloutWorld.Erroring;
        failing.RunUntil(s => s.State.Phase == RolloutPhase.RollingBack, Second);
        failing.Advance(); // still draining
        failing.RunUntil(s => s.State.Phase == RolloutPhase.RolledBack, Second);
        failing.Converge(); // a pass in the finished state

        var blueGreen = new RolloutWorld(new BlueGreenSpec(TimeSpan.FromMinutes(10), Verify: true), desired: 3);
        blueGreen.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        blueGreen.Now += TimeSpan.FromMinutes(1);
        blueGreen.Converge();
        blueGreen.Command(RolloutCommand.Undo);
        blueGreen.Advance();

        var rolling = new RolloutWorld(new RollingSpec(), desired: 4);
        rolling.Converge();
        rolling.Command(RolloutCommand.Promote);
        rolling.Converge();
        rolling.Command(RolloutCommand.Abort);
        rolling.RunUntil(s => s.NewReplicas == 0, Second);

        return [success, paused, failing, blueGreen, rolling];
    }
}
