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

    [Fact]
    public void A_container_this_agent_removed_is_not_taken_for_a_replica_until_no_observation_holds_it()
    {
        // An observation taken between the stop and the removal still lists it, stopped: it did not fail.
        var tracker = new ReplicaTracker();
        Assert.True(tracker.TryBeginRemoval("c1"));
        tracker.EndRemoval("c1", removed: true);
        Assert.True(tracker.IsRemoving("c1"));

        tracker.KeepOnly(new HashSet<string> { "c1" });
        Assert.True(tracker.IsRemoving("c1"));

        tracker.KeepOnly(new HashSet<string>());
        Assert.False(tracker.IsRemoving("c1"));
    }

    [Fact]
    public void A_removal_that_failed_leaves_the_container_to_the_next_pass()
    {
        var tracker = new ReplicaTracker();
        Assert.True(tracker.TryBeginRemoval("c1"));
        tracker.EndRemoval("c1", removed: false);

        Assert.False(tracker.IsRemoving("c1"));
        Assert.True(tracker.TryBeginRemoval("c1"));
    }
}
