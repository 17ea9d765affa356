using System.Text;
using Bollard.Discovery.Consul;

namespace Bollard.IntegrationTests.Discovery;

/// <summary>Sessions, session locks and leader election against the real agent.</summary>
public sealed class ConsulLeaderLockTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = ConsulSessions.MinTtl;

    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string prefix = TestEnvironment.UniqueName("lock");
    private readonly List<string> sessionIds = [];
    private readonly ConsulSessions sessions;
    private readonly ConsulKeyValueStore store;

    public ConsulLeaderLockTests()
    {
        sessions = new ConsulSessions(http, ConsulTestOptions.Create());
        store = new ConsulKeyValueStore(http, ConsulTestOptions.Create());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in sessionIds)
        {
            await sessions.DestroyAsync(id, CancellationToken.None);
        }

        await store.DeleteTreeAsync(prefix, CancellationToken.None);
        http.Dispose();
    }

    [Fact]
    public async Task A_session_renews_while_it_exists_and_not_after_it_is_destroyed()
    {
        var id = await CreateSessionAsync("renew");

        Assert.True(await sessions.RenewAsync(id, CancellationToken.None));
        await sessions.DestroyAsync(id, CancellationToken.None);

        Assert.False(await sessions.RenewAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_locked_by_one_session_cannot_be_acquired_by_another_until_released()
    {
        var key = $"{prefix}/key";
        var first = await CreateSessionAsync("first");
        var second = await CreateSessionAsync("second");

        Assert.True(await store.TryAcquireAsync(key, first, Encoding.UTF8.GetBytes("first"), CancellationToken.None));
        Assert.False(await store.TryAcquireAsync(key, second, Encoding.UTF8.GetBytes("second"), CancellationToken.None));
        Assert.Equal(first, (await store.GetAsync(key, CancellationToken.None))!.Session);

        Assert.False(await store.ReleaseAsync(key, second, CancellationToken.None));
        Assert.True(await store.ReleaseAsync(key, first, CancellationToken.None));

        Assert.True(await store.TryAcquireAsync(key, second, Encoding.UTF8.GetBytes("second"), CancellationToken.None));
    }

    [Fact]
    public async Task Of_two_contenders_exactly_one_leads_and_releasing_lets_the_other_lead()
    {
        await using var a = NewLock("a");
        await using var b = NewLock("b");

        var results = await Task.WhenAll(a.TryAcquireAsync(CancellationToken.None), b.TryAcquireAsync(CancellationToken.None));

        Assert.Single(results, leads => leads);
        var (leader, other) = a.IsLeader ? (a, b) : (b, a);

        // Another round renews the leader and changes nothing.
        Assert.True(await leader.TryAcquireAsync(CancellationToken.None));
        Assert.False(await other.TryAcquireAsync(CancellationToken.None));
        var holder = (await store.GetAsync($"{prefix}/leader", CancellationToken.None))!;
        Assert.Equal(leader == a ? "a" : "b", Encoding.UTF8.GetString(holder.Value.Span));

        await leader.ReleaseAsync(CancellationToken.None);

        Assert.False(leader.IsLeader);
        Assert.True(await other.TryAcquireAsync(CancellationToken.None));
        Assert.True(other.IsLeader);
    }

    [Fact]
    public async Task A_leader_whose_session_was_destroyed_steps_down()
    {
        await using var a = NewLock("a");
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        var session = (await store.GetAsync($"{prefix}/leader", CancellationToken.None))!.Session!;

        // Someone (an operator, or Consul after a missed TTL) ends the session; the lock delay is 0 here.
        await sessions.DestroyAsync(session, CancellationToken.None);
        await using var b = NewLock("b");
        Assert.True(await b.TryAcquireAsync(CancellationToken.None));

        Assert.False(await a.TryAcquireAsync(CancellationToken.None));
        Assert.False(a.IsLeader);
    }

    private ConsulLeaderLock NewLock(string holder) => new(
        sessions,
        store,
        new LeaderLockOptions { Key = $"{prefix}/leader", Holder = holder, SessionTtl = Ttl, LockDelay = TimeSpan.Zero });

    private async Task<string> CreateSessionAsync(string name)
    {
        var id = await sessions.CreateAsync($"{prefix}-{name}", Ttl, TimeSpan.Zero, ConsulSessionBehavior.Release, null, CancellationToken.None);
        sessionIds.Add(id);
        return id;
    }
}
