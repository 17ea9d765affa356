using System.Collections.Immutable;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Weights;

/// <summary>
/// Weights kept in Consul KV under <c>bollard/&lt;cluster&gt;/weights/</c>, one key per service holding
/// <c>{"version": perMille, ...}</c>, followed with one blocking query on the prefix. Until the first answer
/// <see cref="Current"/> is null (the balancer keeps the weights it had); a Consul outage keeps the last weights;
/// an unreadable value keeps that service's last good weights (or none) and is logged.
/// </summary>
internal sealed partial class ConsulVersionWeights : SupervisedBackgroundService, IVersionWeightSource
{
    private readonly ConsulKeyValueWatch _kv;
    private readonly ILogger _logger;
    private volatile State _state = new(null, new CancellationTokenSource());

    public ConsulVersionWeights(ConsulKeyValueWatch kv, IOptions<BalancerOptions> options, ILogger<ConsulVersionWeights> logger, LoopHealth? health = null)
        : base("version-weights", health ?? LoopHealth.Detached())
    {
        _kv = kv;
        _logger = logger;
        Prefix = ClusterKeys.WeightsPrefix(options.Value.Cluster);
    }

    public string Prefix { get; }

    public IReadOnlyDictionary<string, VersionWeights>? Current => _state.Weights;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_state.Changed.Token);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entries in _kv.WatchPrefixAsync(Prefix, stoppingToken))
            {
                Apply(entries);
                Status.Succeeded();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Replaces the weights with those in <paramref name="entries"/>; signals only when they changed.</summary>
    internal void Apply(IReadOnlyList<KeyValueEntry> entries)
    {
        var previous = _state.Weights;
        var next = ImmutableDictionary.CreateBuilder<string, VersionWeights>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var service = entry.Key.Length > Prefix.Length ? entry.Key[Prefix.Length..] : string.Empty;
            if (service.Length == 0 || service.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                next[service] = VersionWeightsJson.Parse(entry.Value.Span);
            }
            catch (FormatException e)
            {
                Log.InvalidWeights(_logger, entry.Key, e.Message);
                if (previous is not null && previous.TryGetValue(service, out var lastGood))
                {
                    next[service] = lastGood;
                }
            }
        }

        var weights = next.ToImmutable();
        if (previous is not null && previous.Count == weights.Count && weights.All(w => previous.TryGetValue(w.Key, out var p) && p.Equals(w.Value)))
        {
            return;
        }

        Log.WeightsChanged(_logger, weights.Count, string.Join("; ", weights.Select(w => $"{w.Key}: {w.Value}")));
        var old = Interlocked.Exchange(ref _state, new State(weights, new CancellationTokenSource()));
        old.Changed.Cancel();
    }

    private sealed record State(IReadOnlyDictionary<string, VersionWeights>? Weights, CancellationTokenSource Changed);

    private static partial class Log
    {
        [LoggerMessage(41, LogLevel.Information, "Version weights from Consul: {Count} services [{Weights}].")]
        public static partial void WeightsChanged(ILogger logger, int count, string weights);

        [LoggerMessage(42, LogLevel.Warning, "Ignoring the version weights at Consul key {Key}, keeping the last good ones: {Reason}")]
        public static partial void InvalidWeights(ILogger logger, string key, string reason);
    }
}
