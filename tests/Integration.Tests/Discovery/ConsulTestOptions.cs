using Bollard.Discovery.Consul;

namespace Bollard.IntegrationTests.Discovery;

internal static class ConsulTestOptions
{
    /// <summary>The test agent, with a short blocking wait so that a stuck watch shows up quickly.</summary>
    public static ConsulOptions Create() => new()
    {
        Address = TestEnvironment.ConsulAddress,
        BlockingWait = TimeSpan.FromSeconds(10),
    };
}
