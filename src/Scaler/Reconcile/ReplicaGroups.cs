namespace Bollard.Scaler.Reconcile;

/// <summary>The replicas of a pass grouped by service, in observation order within each service.</summary>
internal static class ReplicaGroups
{
    public static Dictionary<string, List<ReplicaView>> ByService(IReadOnlyList<ReplicaView> replicas)
    {
        var groups = new Dictionary<string, List<ReplicaView>>(StringComparer.Ordinal);
        foreach (var replica in replicas)
        {
            if (!groups.TryGetValue(replica.Container.Service, out var group))
            {
                groups[replica.Container.Service] = group = [];
            }

            group.Add(replica);
        }

        return groups;
    }
}
