using System.Globalization;
using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class DecisionInputsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-0.0004, "0")]
    [InlineData(-2.5, "0")]
    [InlineData(0, "0")]
    [InlineData(1.2344, "1.234")]
    public void The_age_of_the_metrics_is_never_negative_not_even_minus_zero(double ageSeconds, string shown)
    {
        var load = new LoadSnapshot(Now - TimeSpan.FromSeconds(ageSeconds), Replicas: 2, RequestsPerSecond: 10);
        var input = new AutoscaleInput(null, new ReplicaRange(1, 3), 2, 2, load, Now, AutoscaleInput.DefaultStalenessLimit);

        var age = DecisionInputs.Of(input, current: 2)["metrics-age-s"];

        Assert.False(double.IsNegative(age), $"{age} is negative");
        Assert.Equal(shown, age.ToString(CultureInfo.InvariantCulture));
    }
}
