using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

public sealed class ConsulDurationTests
{
    [Theory]
    [InlineData(10_000, "10s")]
    [InlineData(60_000, "60s")]
    [InlineData(200, "200ms")]
    [InlineData(1_500, "1500ms")]
    [InlineData(0, "0s")]
    public void Formats_as_Go_durations(int milliseconds, string expected) =>
        Assert.Equal(expected, ConsulDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
