using System.Text;
using Bollard.Scaler.State;
using Bollard.Scaler.Tests.Reconcile;

namespace Bollard.Scaler.Tests.State;

/// <summary>A store whose only writer is this process wakes its watchers on its own writes (the state directory's case).</summary>
public sealed class StateWatchTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-watch-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public static TheoryData<string> Stores => ["local", "memory"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_watch_yields_the_key_now_then_each_change_of_it_and_nothing_for_other_keys(string kind)
    {
        using var local = kind == "local" ? new LocalStateStore(_directory) : null;
        IStateStore store = local ?? (IStateStore)new InMemoryStateStore();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = store.WatchAsync("desired/specs", stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Null(watch.Current);

        var next = watch.MoveNextAsync().AsTask();
        await store.TryPutAsync("desired/specs-other", Bytes("x"), 0, default);
        await store.TryPutAsync("rollouts/web", Bytes("x"), 0, default);
        Assert.False(next.IsCompleted);

        Assert.True(await store.TryPutAsync("desired/specs", Bytes("one"), 0, default));
        Assert.True(await next);
        Assert.Equal("one", Text(watch.Current));

        Assert.True(await store.TryPutAsync("desired/specs", Bytes("two"), watch.Current!.Version, default));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("two", Text(watch.Current));

        // Deleted, then written again from scratch (version 1 again): both are changes.
        await store.DeleteAsync("desired/specs", default);
        Assert.True(await watch.MoveNextAsync());
        Assert.Null(watch.Current);
        Assert.True(await store.TryPutAsync("desired/specs", Bytes("three"), 0, default));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("three", Text(watch.Current));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(StateEntry? entry) => entry is null ? null : Encoding.UTF8.GetString(entry.Value.Span);
}
