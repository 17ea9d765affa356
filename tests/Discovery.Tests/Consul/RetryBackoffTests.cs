using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1000)]
    [InlineData(7, 16000)]
    [InlineData(8, 30000)]
    [InlineData(64, 30000)]
    [InlineData(int.MaxValue, 30000)]
    public void Delay_doubles_up_to_the_cap(int failures, int expectedMilliseconds) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(expectedMilliseconds),
            RetryBackoff.Delay(failures, TimeSpan.FromSeconds(30)));
}
