using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>The operator's range is absolute: every count the autoscaler produces is within [min, max].</summary>
internal static class RangeClamp
{
    public static Proposal ClampToRange(Proposal proposal, ReplicaRange range)
    {
        if (proposal.Count < range.Min)
        {
            return proposal.Then(range.Min, ScaleRules.ClampToMin, $"below the minimum {range.Min}: {range.Min}");
        }

        if (proposal.Count > range.Max)
        {
            return proposal.Then(range.Max, ScaleRules.ClampToMax, $"above the maximum {range.Max}: {range.Max}");
        }

        return proposal;
    }
}
