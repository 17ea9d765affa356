using Bollard.Scaler.Cluster;
using Bollard.Scaler.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Cluster;

public sealed class LeaderGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Passes_wait_until_the_agent_leads_and_wait_again_after_it_stepped_down()
    {
        var gate = new LeaderGate(_time, Wait);
        var waiting = gate.WaitOpenAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        Assert.True(gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2))));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(gate.WaitOpenAsync(CancellationToken.None).IsCompleted);
        Assert.False(gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2))));

        Assert.True(gate.Close());
        Assert.False(gate.IsOpen);
        Assert.False(gate.WaitOpenAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task An_effect_within_the_lease_goes_ahead_and_one_of_a_closed_gate_is_refused()
    {
        var gate = new LeaderGate(_time, Wait);
        await Assert.ThrowsAsync<NotLeadingException>(() => gate.EnsureOpenAsync(CancellationToken.None));

        gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2)));
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.True(gate.EnsureOpenAsync(CancellationToken.None).IsCompletedSuccessfully);

        gate.Close();
        await Assert.ThrowsAsync<NotLeadingException>(() => gate.EnsureOpenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_effect_after_the_lease_waits_for_the_next_round_and_goes_ahead_when_it_confirms()
    {
        var gate = new LeaderGate(_time, Wait);
        gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2)));

        // Frozen past the lease: the gate is still open, but nothing may happen until a round confirms the lock.
        _time.Advance(TimeSpan.FromSeconds(10));
        var effect = gate.EnsureOpenAsync(CancellationToken.None);
        Assert.False(effect.IsCompleted);

        gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2)));
        await effect.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_effect_after_the_lease_is_refused_when_the_next_round_does_not_confirm_the_lock()
    {
        var gate = new LeaderGate(_time, Wait);
        gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2)));
        _time.Advance(TimeSpan.FromSeconds(10));

        var stepsDown = gate.EnsureOpenAsync(CancellationToken.None);
        gate.Close();
        await Assert.ThrowsAsync<NotLeadingException>(() => stepsDown.WaitAsync(TimeSpan.FromSeconds(5)));

        // No round at all (rounds hang): refused once the wait is over.
        gate.Open(LeaseFromNow(TimeSpan.FromSeconds(2)));
        _time.Advance(TimeSpan.FromSeconds(10));
        var unconfirmed = gate.EnsureOpenAsync(CancellationToken.None);
        Assert.False(unconfirmed.IsCompleted);
        _time.Advance(Wait);
        await Assert.ThrowsAsync<NotLeadingException>(() => unconfirmed.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private long LeaseFromNow(TimeSpan lease) => _time.GetTimestamp() + (long)(lease.TotalSeconds * _time.TimestampFrequency);
}
