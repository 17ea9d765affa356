using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class RolloutSpecParserTests
{
    private const string Head = "name: web\nimage: app:1\nport: 80\n";

    [Fact]
    public void A_spec_without_a_rollout_block_gets_a_rolling_update()
    {
        var spec = Load(Head);

        Assert.Equal(RolloutSpec.Default, spec.Rollout);
        Assert.Equal(new RollingSpec(1, 0), spec.Rollout.Strategy);
    }

    [Fact]
    public void Reads_a_canary_with_every_kind_of_step_and_the_analysis()
    {
        var spec = Load(Head + """
            rollout:
              canary:
                steps:
                  - setWeight: 2.5
                  - pause: 30s
                  - analysis: {}
                  - setWeight: 50
                  - pause: {}
              analysis:
                minSuccessRate: 0.995
                maxP99: 250ms
                maxP99Ratio: 1.2
                minRequests: 50
                interval: 15s
                failureLimit: 3
            """);

        var canary = Assert.IsType<CanarySpec>(spec.Rollout.Strategy);
        Assert.Equal<CanaryStep>([new SetWeightStep(25), new PauseStep(TimeSpan.FromSeconds(30)), new AnalysisStep(), new SetWeightStep(500), new PauseStep(null)], canary.Steps);
        Assert.Equal(new AnalysisSpec(0.995, TimeSpan.FromMilliseconds(250), 1.2, 50, TimeSpan.FromSeconds(15), 3), spec.Rollout.Analysis);
    }

    [Fact]
    public void An_empty_strategy_block_takes_its_defaults()
    {
        Assert.Equal(new CanarySpec(), Load(Head + "rollout:\n  canary: {}\n").Rollout.Strategy);
        Assert.Equal(new BlueGreenSpec(TimeSpan.FromMinutes(10)), Load(Head + "rollout:\n  blueGreen: {}\n").Rollout.Strategy);
        Assert.Equal(new RollingSpec(), Load(Head + "rollout: {}\n").Rollout.Strategy);
        Assert.Equal(RolloutDefaults.CanarySteps, new CanarySpec().Steps);
    }

    [Fact]
    public void Reads_rolling_and_blue_green_settings()
    {
        Assert.Equal(new RollingSpec(0, 2), Load(Head + "rollout:\n  rolling:\n    maxSurge: 0\n    maxUnavailable: 2\n").Rollout.Strategy);
        Assert.Equal(new BlueGreenSpec(TimeSpan.FromMinutes(30), true), Load(Head + "rollout:\n  blueGreen:\n    rollbackWindow: 30m\n    verify: true\n").Rollout.Strategy);
    }

    [Fact]
    public void The_rollout_settings_do_not_change_the_version()
    {
        Assert.Equal(Load(Head).Version, Load(Head + "rollout:\n  canary: {}\n").Version);
    }

    [Theory]
    [InlineData("rollout:\n  canary:\n    steps:\n      - setWeight: 2.55\n", "web.yaml:7:20: rollout.canary.steps[0].setWeight: must be a percent from 0.1 to 100 with at most one decimal (e.g. 5, 2.5), got '2.55'")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - setWeight: 0\n", "web.yaml:7:20: rollout.canary.steps[0].setWeight: must be a percent from 0.1")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - setWeight: 5\n      - pause: soon\n", "web.yaml:8:16: rollout.canary.steps[1].pause: must be a duration from 1s to 24h (e.g. 30s, 5m), or {} to wait until promoted by hand, got 'soon'")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - setWeight: 5\n        pause: 30s\n", "web.yaml:8:16: rollout.canary.steps[0].pause: a step does one thing; setWeight and pause need a '- ' each")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - setWieght: 5\n", "web.yaml:7:9: rollout.canary.steps[0].setWieght: unknown field; did you mean 'setWeight'? (allowed here: analysis, pause, setWeight)")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - analysis: {}\n", "web.yaml:7:19: rollout.canary.steps[0].analysis: needs traffic to judge: put a setWeight step before it")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - setWeight: 5\n      - analysis: {count: 2}\n", "web.yaml:8:20: rollout.canary.steps[1].analysis.count: unknown field")]
    [InlineData("rollout:\n  canary:\n    steps:\n      - 5\n", "web.yaml:7:9: rollout.canary.steps[0]: must be a mapping of fields")]
    [InlineData("rollout:\n  canary:\n    steps: []\n", "web.yaml:6:12: rollout.canary.steps: needs at least one step")]
    [InlineData("rollout:\n  canary:\n    steps: 5\n", "web.yaml:6:12: rollout.canary.steps: must be a list")]
    [InlineData("rollout:\n  canary: {}\n  blueGreen: {}\n", "web.yaml:6:14: rollout.blueGreen: choose one strategy: rolling, canary or blueGreen (already canary)")]
    [InlineData("rollout:\n  rolling:\n    maxSurge: 0\n", "web.yaml:6:15: rollout.rolling.maxSurge: maxSurge and maxUnavailable cannot both be 0")]
    [InlineData("rollout:\n  blueGreen:\n    verify: maybe\n", "web.yaml:6:13: rollout.blueGreen.verify: must be true or false, got 'maybe'")]
    [InlineData("rollout:\n  blueGreen:\n    rollbackWindow: 2d\n", "web.yaml:6:21: rollout.blueGreen.rollbackWindow: must be a duration from 0s to 24h")]
    [InlineData("rollout:\n  analysis:\n    interval: 10s\n", "web.yaml:6:5: rollout.analysis: only canary and blueGreen rollouts are analysed")]
    [InlineData("rollout:\n  canary: {}\n  analysis:\n    minSuccessRate: 99\n", "web.yaml:7:21: rollout.analysis.minSuccessRate: must be a number from 0 to 1, got '99'")]
    [InlineData("rollout:\n  canary: {}\n  analysis:\n    maxP99: fast\n", "web.yaml:7:13: rollout.analysis.maxP99: must be a duration from 1ms to 10m")]
    [InlineData("rollout:\n  canary: {}\n  analysis:\n    failureLimit: 0\n", "web.yaml:7:19: rollout.analysis.failureLimit: must be a whole number from 1 to 100, got '0'")]
    [InlineData("rollout:\n  strategy: canary\n", "web.yaml:5:3: rollout.strategy: unknown field (allowed here: analysis, blueGreen, canary, failedStartLimit, rolling)")]
    [InlineData("rollout: canary\n", "web.yaml:4:10: rollout: must be a mapping of fields")]
    public void Invalid_rollouts_name_the_line_field_and_what_is_allowed(string rollout, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + rollout));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceSpec Load(string yaml) => Assert.Single(SpecLoader.LoadTexts([("web.yaml", yaml)]));
}
