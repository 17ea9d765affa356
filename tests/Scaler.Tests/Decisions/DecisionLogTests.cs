using Bollard.Discovery.Supervision;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.State;
using Bollard.Scaler.Tests.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Decisions;

/// <summary>Decisions reach the state store in batches, and recording one never waits for it, whatever it does.</summary>
public sealed class DecisionLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SwitchableStore _state = new();

    [Fact]
    public async Task Recorded_decisions_are_written_in_one_batch_and_read_back_by_another_agent()
    {
        var (log, outbox, store) = Compose(_state);
        using var writer = Writer(outbox, store);
        await writer.StartAsync(default);

        for (var i = 0; i < 20; i++)
        {
            log.Record(Decision(i));
        }

        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(DecisionWriter.BatchWindow);
                return outbox.Waiting == 0 && _state.Writes > 0;
            },
            "the batch is written");
        Assert.Equal(1, _state.Writes);

        // Another agent (a new controller, or this one restarted) with nothing in memory reads them from the store.
        var (other, _, _) = Compose(_state);
        Assert.Equal(20, (await other.ReadAsync("web", default)).Count);
        Assert.Equal(20, (await log.ReadAsync(null, default)).Count);
        await writer.StopAsync(default);
    }

    [Fact]
    public async Task A_store_that_hangs_or_fails_never_holds_up_recording_and_a_full_queue_drops_its_oldest_and_counts_them()
    {
        _state.Hang = true;
        var outbox = new DecisionOutbox(capacity: 100);
        var store = new DecisionStore(_state, _time);
        var log = new DecisionLog(DecisionLog.DefaultCapacity, outbox, store);
        using var writer = Writer(outbox, store);
        await writer.StartAsync(default);
        log.Record(Decision(-1));
        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(DecisionWriter.BatchWindow);
                return _state.Waiting > 0;
            },
            "the writer waits on the hung store");

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < 1000; i++)
        {
            log.Record(Decision(i));
        }

        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1), "recording waited");
        Assert.Equal(100, outbox.Waiting);
        Assert.Equal(900, outbox.Dropped);

        // This agent's own (the last 1000 in memory) still show while the store cannot be read.
        _state.Hang = false;
        _state.Down = true;
        Assert.Equal(1000, (await log.ReadAsync("web", default)).Count);

        // The store back: the held batch and the newest queued ones are written.
        _state.Down = false;
        _state.Release();
        await Eventually.TrueAsync(
            async () =>
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                return (await store.ReadAsync("web", default)).Count == 101;
            },
            "the held batch and the newest 100 are written");
        Assert.Equal(["-1", .. Enumerable.Range(900, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], (await store.ReadAsync("web", default)).Select(d => d.Reason));
        await writer.StopAsync(default);
    }

    [Fact]
    public async Task A_stop_writes_what_is_queued()
    {
        var (log, outbox, store) = Compose(_state);
        using var writer = Writer(outbox, store);
        await writer.StartAsync(default);

        log.Record(Decision(1));
        await writer.StopAsync(default);

        Assert.Equal(["1"], (await store.ReadAsync("web", default)).Select(d => d.Reason));
    }

    private (DecisionLog Log, DecisionOutbox Outbox, DecisionStore Store) Compose(IStateStore state)
    {
        var outbox = new DecisionOutbox();
        var store = new DecisionStore(state, _time);
        return (new DecisionLog(DecisionLog.DefaultCapacity, outbox, store), outbox, store);
    }

    private DecisionWriter Writer(DecisionOutbox outbox, DecisionStore store) =>
        new(outbox, store, _time, LoopHealth.Detached(_time), NullLogger<DecisionWriter>.Instance);

    private Decision Decision(int n) => new(_time.GetUtcNow().AddTicks(n + 10), "web", "scale", null, n.ToString(System.Globalization.CultureInfo.InvariantCulture), "ok");

    /// <summary>The in-memory store, which can fail (Consul down) or hang (Consul frozen) on writes and lists.</summary>
    private sealed class SwitchableStore : IStateStore
    {
        private readonly InMemoryStateStore _inner = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;
        private int _writes;

        public volatile bool Down;
        public volatile bool Hang;

        public int Waiting => Volatile.Read(ref _waiting);

        public int Writes => Volatile.Read(ref _writes);

        public void Release() => _released.TrySetResult();

        public async Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
        {
            await GateAsync();
            return await _inner.GetAsync(key, cancellationToken);
        }

        public async Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken)
        {
            await GateAsync();
            Interlocked.Increment(ref _writes);
            return await _inner.TryPutAsync(key, value, expectedVersion, cancellationToken);
        }

        public async Task DeleteAsync(string key, CancellationToken cancellationToken)
        {
            await GateAsync();
            await _inner.DeleteAsync(key, cancellationToken);
        }

        public async Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
        {
            await GateAsync();
            return await _inner.ListAsync(prefix, cancellationToken);
        }

        public IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken) => _inner.WatchAsync(key, cancellationToken);

        private async Task GateAsync()
        {
            if (Down)
            {
                throw new StateStoreUnavailableException("Consul at http://127.0.0.1:8500 did not answer within 10 s");
            }

            if (Hang)
            {
                Interlocked.Increment(ref _waiting);
                await _released.Task;
            }
        }
    }
}
