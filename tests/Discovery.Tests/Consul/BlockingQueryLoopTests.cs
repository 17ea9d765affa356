using Bollard.Discovery;
using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

public sealed class BlockingQueryLoopTests
{
    [Fact]
    public async Task Blocks_on_the_last_index_keeps_it_through_failures_and_resets_it_when_it_goes_backwards()
    {
        // Answers: index 5, a failure, index 3 (backwards: Consul restored a snapshot), index 7.
        var script = new Queue<(string Value, ulong Index)?>([("a", 5), null, ("b", 3), ("c", 7)]);
        var asked = new List<ulong>();
        var events = new List<string>();
        var log = new BlockingQueryLog(
            (attempt, reason) => events.Add($"failed {attempt}: {reason}"),
            failures => events.Add($"recovered after {failures}"),
            (previous, returned) => events.Add($"backwards {previous} -> {returned}"));
        var options = new ConsulOptions { MinQueryInterval = TimeSpan.FromMilliseconds(1), MaxRetryBackoff = TimeSpan.FromMilliseconds(1) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var values = new List<string>();
        await foreach (var value in BlockingQueryLoop.RunAsync(Query, options, TimeProvider.System, log, stop.Token))
        {
            values.Add(value);
            if (script.Count == 0)
            {
                break;
            }
        }

        Assert.Equal(["a", "b", "c"], values);
        Assert.Equal([0UL, 5, 5, 0], asked);
        Assert.Equal(["failed 1: consul down", "recovered after 1", "backwards 5 -> 3"], events);

        Task<(string Value, ulong Index)> Query(ulong index, CancellationToken cancel)
        {
            asked.Add(index);
            return script.Dequeue() is { } answer
                ? Task.FromResult(answer)
                : Task.FromException<(string, ulong)>(new CatalogUnavailableException("consul down"));
        }
    }
}
