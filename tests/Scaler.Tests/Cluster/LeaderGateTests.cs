using Bollard.Scaler.Cluster;

namespace Bollard.Scaler.Tests.Cluster;

public sealed class LeaderGateTests
{
    [Fact]
    public async Task Passes_wait_until_the_agent_leads_and_wait_again_after_it_stepped_down()
    {
        var gate = new LeaderGate();
        var waiting = gate.WaitOpenAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        Assert.True(gate.Set(true));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(gate.WaitOpenAsync(CancellationToken.None).IsCompleted);
        Assert.False(gate.Set(true));

        Assert.True(gate.Set(false));
        Assert.False(gate.IsOpen);
        Assert.False(gate.WaitOpenAsync(CancellationToken.None).IsCompleted);
    }
}
