namespace Bollard.Discovery.Consul;

/// <summary>
/// The index rules of Consul's blocking queries (api-docs/features/blocking, "Implementation Details"):
/// <list type="bullet">
/// <item>An index lower than the previous one (a restored snapshot, a removed KV item) resets to 0, which makes
/// the next query a plain read that returns the current state and a fresh index.</item>
/// <item>After a response the index is at least 1: index 0 means "do not block", so a buggy 0 from Consul would
/// otherwise turn the watch into a busy loop; 1 is always a safe index to block on.</item>
/// </list>
/// </summary>
internal static class BlockingQueryIndex
{
    /// <summary>The index to send with the next query, given the one sent and the one Consul returned.</summary>
    public static ulong Next(ulong previous, ulong returned)
    {
        if (returned < previous)
        {
            return 0;
        }

        return Math.Max(returned, 1);
    }

    /// <summary>Query-string fragment of a query at <paramref name="index"/>: 0 is a plain, non-blocking read.</summary>
    public static string Query(ulong index, TimeSpan wait) =>
        index == 0 ? string.Empty : FormattableString.Invariant($"index={index}&wait={ConsulDuration.Format(wait)}");
}
