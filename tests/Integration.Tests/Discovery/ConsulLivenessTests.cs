using System.Diagnostics;
using System.Text;
using Bollard.Discovery.Consul;

namespace Bollard.IntegrationTests.Discovery;

/// <summary>
/// The pieces of a fast and fenced failover against the real agent: a session bound to a process's own TTL check ends
/// within seconds of the last pass, a write fenced on a lock lands only while its session holds the lock, and a leader
/// lock bound to such a check passes to another contender once the holder stops passing it (after the lock delay).
/// </summary>
public sealed class ConsulLivenessTests : IAsyncLifetime
{
    private static readonly TimeSpan CheckTtl = TimeSpan.FromSeconds(2);

    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string prefix = TestEnvironment.UniqueName("alive");
    private readonly List<string> sessionIds = [];
    private readonly List<string> serviceIds = [];
    private readonly ConsulSessions sessions;
    private readonly ConsulKeyValueStore store;
    private readonly ConsulTtlCheck checks;

    public ConsulLivenessTests()
    {
        sessions = new ConsulSessions(http, ConsulTestOptions.Create());
        store = new ConsulKeyValueStore(http, ConsulTestOptions.Create());
        checks = new ConsulTtlCheck(http, ConsulTestOptions.Create());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in sessionIds)
        {
            await sessions.DestroyAsync(id, CancellationToken.None);
        }

        foreach (var id in serviceIds)
        {
            await checks.DeregisterAsync(id, CancellationToken.None);
        }

        await store.DeleteTreeAsync(prefix, CancellationToken.None);
        http.Dispose();
    }

    [Fact]
    public async Task A_session_bound_to_a_ttl_check_ends_within_seconds_of_the_last_pass_and_releases_its_lock()
    {
        var check = await RegisterCheckAsync("ttl");
        var id = await CreateSessionAsync(["serfHealth", check], ConsulSessionBehavior.Release);
        var key = $"{prefix}/held";
        Assert.True(await store.TryAcquireAsync(key, id, Encoding.UTF8.GetBytes("x"), CancellationToken.None));

        // Passed for a while, it lives on (past its TTL several times over).
        var passing = Stopwatch.StartNew();
        while (passing.Elapsed < CheckTtl * 2)
        {
            await checks.PassAsync(check, null, CancellationToken.None);
            Assert.Equal(id, (await store.GetAsync(key, CancellationToken.None))!.Session);
            await Task.Delay(CheckTtl / 4);
        }

        // Not passed any more: it ends within the TTL (plus Consul's own delay) and its lock is released.
        var silent = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await store.GetAsync(key, CancellationToken.None))!.Session is null, "the lock released", TimeSpan.FromSeconds(15));
        Assert.True(silent.Elapsed < CheckTtl + TimeSpan.FromSeconds(3), $"the session ended {silent.Elapsed.TotalSeconds:0.0} s after the last pass (TTL {CheckTtl.TotalSeconds} s)");
        Assert.False(await sessions.RenewAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Deregistering_the_check_ends_the_session_at_once()
    {
        var check = await RegisterCheckAsync("dereg");
        var id = await CreateSessionAsync(["serfHealth", check], ConsulSessionBehavior.Delete);
        var key = $"{prefix}/deleted";
        Assert.True(await store.TryAcquireAsync(key, id, Encoding.UTF8.GetBytes("x"), CancellationToken.None));

        await checks.DeregisterAsync(serviceIds[^1], CancellationToken.None);

        await Eventually.TrueAsync(async () => await store.GetAsync(key, CancellationToken.None) is null, "the held key deleted with the session", TimeSpan.FromSeconds(5));
        Assert.False(await sessions.RenewAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task A_write_fenced_on_a_lock_lands_only_while_its_session_holds_the_lock()
    {
        var fence = $"{prefix}/fence";
        var holder = await CreateSessionAsync(null, ConsulSessionBehavior.Delete);
        var other = await CreateSessionAsync(null, ConsulSessionBehavior.Delete);
        Assert.True(await store.TryAcquireAsync(fence, holder, Encoding.UTF8.GetBytes("holder"), CancellationToken.None));

        Assert.True(await store.TryAcquireFencedAsync($"{prefix}/c/1", holder, Encoding.UTF8.GetBytes("one"), fence, CancellationToken.None));
        var written = (await store.GetAsync($"{prefix}/c/1", CancellationToken.None))!;
        Assert.Equal(("one", holder), (Encoding.UTF8.GetString(written.Value.Span), written.Session));

        Assert.False(await store.TryAcquireFencedAsync($"{prefix}/c/2", other, Encoding.UTF8.GetBytes("two"), fence, CancellationToken.None));
        Assert.Null(await store.GetAsync($"{prefix}/c/2", CancellationToken.None));

        // Its session ended: the fence is gone, so is what it held, and it can write nothing more.
        await sessions.DestroyAsync(holder, CancellationToken.None);
        Assert.False(await store.TryAcquireFencedAsync($"{prefix}/c/3", holder, Encoding.UTF8.GetBytes("three"), fence, CancellationToken.None));
        Assert.Null(await store.GetAsync($"{prefix}/c/3", CancellationToken.None));
        Assert.Null(await store.GetAsync($"{prefix}/c/1", CancellationToken.None));
    }

    [Fact]
    public async Task A_leader_that_stops_passing_its_check_loses_the_lock_to_another_after_the_lock_delay_and_can_write_nothing()
    {
        var lockDelay = TimeSpan.FromSeconds(1);
        var check = await RegisterCheckAsync("leader");
        await using var a = NewLock("a", ["serfHealth", check], lockDelay);
        await using var b = NewLock("b", null, lockDelay);
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        Assert.True(await a.TryWriteAsLeaderAsync($"{prefix}/commands/1", Encoding.UTF8.GetBytes("1"), CancellationToken.None));

        // A follower's rounds read the lock and write nothing.
        var index = (await store.GetAsync(a.Key, CancellationToken.None))!.ModifyIndex;
        for (var round = 0; round < 3; round++)
        {
            Assert.False(await b.TryAcquireAsync(CancellationToken.None));
        }

        Assert.Equal(index, (await store.GetAsync(a.Key, CancellationToken.None))!.ModifyIndex);

        // The leader's process stops passing its check (it died, or froze): the other leads within TTL + lock delay.
        var silent = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => b.TryAcquireAsync(CancellationToken.None), "b leading", TimeSpan.FromSeconds(20));
        Assert.True(silent.Elapsed >= CheckTtl, $"b led {silent.Elapsed.TotalSeconds:0.0} s after a's last pass, before a's check could fail");
        Assert.True(silent.Elapsed < CheckTtl + lockDelay + TimeSpan.FromSeconds(4), $"b led {silent.Elapsed.TotalSeconds:0.0} s after a's last pass");

        // Its commands went with its session, and it can write no more: Consul refuses, whatever it believes.
        Assert.Null(await store.GetAsync($"{prefix}/commands/1", CancellationToken.None));
        Assert.True(a.IsLeader);
        Assert.False(await a.TryWriteAsLeaderAsync($"{prefix}/commands/2", Encoding.UTF8.GetBytes("2"), CancellationToken.None));
        Assert.False(a.IsLeader);
        Assert.Null(await store.GetAsync($"{prefix}/commands/2", CancellationToken.None));
        Assert.False(await a.TryAcquireAsync(CancellationToken.None));
        Assert.True(await b.TryWriteAsLeaderAsync($"{prefix}/commands/3", Encoding.UTF8.GetBytes("3"), CancellationToken.None));
    }

    private ConsulLeaderLock NewLock(string holder, IReadOnlyList<string>? bound, TimeSpan lockDelay) => new(
        sessions,
        store,
        new LeaderLockOptions
        {
            Key = $"{prefix}/leader",
            Holder = holder,
            SessionTtl = ConsulSessions.MinTtl * 3,
            LockDelay = lockDelay,
            Checks = bound,
            Behavior = ConsulSessionBehavior.Delete,
        });

    /// <summary>A TTL check of the test's own, passing; returns its id.</summary>
    private async Task<string> RegisterCheckAsync(string name)
    {
        var service = $"{prefix}-{name}";
        var check = $"{service}:alive";
        await checks.RegisterAsync(new TtlCheckRegistration(service, $"{prefix}-svc", check, CheckTtl, TimeSpan.FromMinutes(1), new Dictionary<string, string>()), CancellationToken.None);
        serviceIds.Add(service);
        return check;
    }

    private async Task<string> CreateSessionAsync(IReadOnlyList<string>? bound, ConsulSessionBehavior behavior)
    {
        // A check just registered reaches the catalog, where sessions look for it, a moment later.
        var id = await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    return await sessions.CreateAsync($"{prefix}-session", ConsulSessions.MinTtl * 3, TimeSpan.Zero, behavior, bound, CancellationToken.None);
                }
                catch (Bollard.Discovery.CatalogUnavailableException) when (bound is not null)
                {
                    return null;
                }
            },
            created => created is not null,
            "a session bound to the test's check",
            TimeSpan.FromSeconds(10));
        sessionIds.Add(id!);
        return id!;
    }
}
