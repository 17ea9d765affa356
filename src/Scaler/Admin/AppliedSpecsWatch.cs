using System.Text.Json;
using System.Threading.Channels;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Follows the applied specs (<see cref="StateKeys.DesiredSpecs"/>) with a blocking watch of the state store, on every
/// agent and in both modes: Consul KV for a cluster, the state directory on a single host. Each change is published
/// (<see cref="IAppliedSpecsSource"/>: the balancer's routes follow it, as its weights follow theirs) and makes this
/// agent's desired state follow too when another agent applied it (<see cref="DesiredSpecsRestorer.FollowAsync"/>, then
/// a reconcile pass is woken): a cluster's controller acts on an apply made through any agent at once, and every
/// agent's plan and status start from it.
/// </summary>
/// <remarks>
/// Static stability: until the store first answers, <see cref="Current"/> is null and the balancer keeps the routes it
/// serves (the snapshot saved on disk, at start); a store that stops answering changes nothing; applied specs that
/// cannot be read (written by a newer version) keep the last good ones, and are logged and shown in /healthz.
/// </remarks>
internal sealed partial class AppliedSpecsWatch : SupervisedBackgroundService, IAppliedSpecsSource, IHostedLifecycleService
{
    /// <summary>How long the read at start may hold up the start (the balancer serves its saved routes meanwhile).</summary>
    private static readonly TimeSpan StartReadLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly IStateStore _store;
    private readonly DesiredSpecsStore _desired;
    private readonly SecretKey _key;
    private readonly InMemoryServiceSpecSource _specs;
    private readonly DesiredSpecsRestorer _restorer;
    private readonly ReconcileLoop? _loop;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LoopStatus _following;

    // "The desired state must follow": capacity one, any number of changes before the next restore collapse into one.
    private readonly Channel<bool> _follow = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private volatile Published _published = new(null, null, new CancellationTokenSource());

    // The version the desired state must follow to (the latest published); read by the follow loop.
    private ulong _followVersion;

    public AppliedSpecsWatch(
        IStateStore store,
        DesiredSpecsStore desired,
        SecretKey key,
        InMemoryServiceSpecSource specs,
        DesiredSpecsRestorer restorer,
        ReconcileLoop? loop,
        TimeProvider time,
        LoopHealth health,
        ILogger<AppliedSpecsWatch> logger)
        : base("applied-specs", health)
    {
        (_store, _desired, _key, _specs, _restorer, _loop, _time, _logger) = (store, desired, key, specs, restorer, loop, time, logger);
        _following = health.Track("desired-state");
    }

    public IReadOnlyList<ServiceSpec>? Current => _published.Specs;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_published.Changed.Token);

    /// <summary>
    /// Reads the applied specs once before anything starts, so that the balancer's first routes are the applied ones.
    /// A store that does not answer soon leaves <see cref="Current"/> null: the saved routes serve until the watch answers.
    /// </summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StartReadLimit);
        try
        {
            Publish(await _store.GetAsync(StateKeys.DesiredSpecs, limit.Token), follow: false);
        }
        catch (Exception e) when (e is StateStoreUnavailableException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogStartReadFailed(e.Message);
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var following = FollowAsync(stoppingToken);
        try
        {
            await foreach (var entry in _store.WatchAsync(StateKeys.DesiredSpecs, stoppingToken))
            {
                Publish(entry, follow: true);
            }
        }
        finally
        {
            await following;
        }
    }

    /// <summary>
    /// Publishes what <paramref name="entry"/> holds if it differs from what was published; unreadable specs keep the
    /// last good ones. With <paramref name="follow"/>, a change also asks the desired state to follow.
    /// </summary>
    internal void Publish(StateEntry? entry, bool follow)
    {
        var version = entry?.Version ?? 0;
        var current = _published;
        if (current.Specs is not null && current.Version == version)
        {
            Status.Succeeded();
            return;
        }

        IReadOnlyList<ServiceSpec> specs;
        try
        {
            specs = _desired.Read(entry) is { } applied ? SpecControlPlane.Load(applied.Files, _key) : _specs.Initial;
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or SpecValidationException or StateStoreUnavailableException)
        {
            if (Status.Failed(e))
            {
                LogUnreadable(version, e.Message);
            }

            return;
        }

        var previous = Interlocked.Exchange(ref _published, new Published(specs, version, new CancellationTokenSource()));
        previous.Changed.Cancel();
        LogApplied(version, specs.Count);
        if (Status.Succeeded() > 0)
        {
            LogReadable();
        }

        if (follow)
        {
            Interlocked.Exchange(ref _followVersion, version);
            _follow.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// Publishes the agent's spec files again after a reload replaced them, while nothing is applied (they are then what
    /// the balancer routes by). Applied specs, or a publish that happened meanwhile, win: nothing is published then.
    /// </summary>
    internal void RepublishFiles()
    {
        var current = _published;
        if (current.Specs is null || current.Version != 0)
        {
            return;
        }

        var next = new Published(_specs.Initial, 0, new CancellationTokenSource());
        if (ReferenceEquals(Interlocked.CompareExchange(ref _published, next, current), current))
        {
            current.Changed.Cancel();
        }
    }

    /// <summary>Restores the desired state after each change, retried with backoff while the store cannot be read.</summary>
    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _follow.Reader.WaitToReadAsync(stoppingToken))
            {
                _follow.Reader.TryRead(out _);
                while (!await TryRestoreAsync(stoppingToken))
                {
                    await Task.Delay(_following.Backoff(FirstRetry, MaxRetry), _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> TryRestoreAsync(CancellationToken stoppingToken)
    {
        try
        {
            // An apply through this agent already replaced its desired state: only another agent's is news.
            if (await _restorer.FollowAsync(Interlocked.Read(ref _followVersion), stoppingToken))
            {
                _loop?.Wake();
            }

            _following.Succeeded();
            return true;
        }
        catch (StateStoreUnavailableException e)
        {
            if (_following.Failed(e))
            {
                LogFollowFailed(e.Message);
            }

            return false;
        }
    }

    private sealed record Published(IReadOnlyList<ServiceSpec>? Specs, ulong? Version, CancellationTokenSource Changed);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Debug, Message = "Applied specs (state store version {Version}): {Count} service(s)")]
    private partial void LogApplied(ulong version, int count);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Error, Message = "The applied specs in the state store (version {Version}) cannot be read; keeping the last good ones: {Error}")]
    private partial void LogUnreadable(ulong version, string error);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Information, Message = "The applied specs in the state store can be read again")]
    private partial void LogReadable();

    [LoggerMessage(EventId = 5033, Level = LogLevel.Warning, Message = "The applied specs cannot be read at start ({Error}); the balancer serves the routes it saved until the state store answers")]
    private partial void LogStartReadFailed(string error);

    [LoggerMessage(EventId = 5034, Level = LogLevel.Warning, Message = "The desired state cannot follow the applied specs yet, retrying: {Error}")]
    private partial void LogFollowFailed(string error);
}
