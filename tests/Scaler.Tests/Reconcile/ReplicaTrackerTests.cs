using Bollard.Scaler.Reconcile;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>A replica registered as soon as it started races its removal: exactly one side takes care of the catalog.</summary>
public sealed class ReplicaTrackerTests
{
    [Fact]
    public void A_registration_after_the_removal_began_is_refused_so_the_registering_side_takes_it_back()
    {
        var tracker = new ReplicaTracker();
        Assert.True(tracker.TryBeginRemoval("c1"));

        Assert.False(tracker.TryMarkRegistered("c1"));
        Assert.False(tracker.IsRegistered("c1"));
    }

    [Fact]
    public void A_registration_before_the_removal_is_seen_by_the_removal_which_deregisters()
    {
        var tracker = new ReplicaTracker();
        Assert.True(tracker.TryMarkRegistered("c1"));

        Assert.True(tracker.TryBeginRemoval("c1"));
        Assert.True(tracker.IsRegistered("c1"));
    }
}
