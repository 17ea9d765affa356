using Microsoft.Extensions.Options;

namespace Bollard.Balancer.AccessLogs;

/// <summary>The access log queues by listener port; <see cref="For"/> is null for a listener that logs nothing.</summary>
internal sealed class AccessLogs
{
    private readonly Dictionary<int, AccessLogQueue> _byPort;

    public AccessLogs(IOptions<BalancerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _byPort = options.Value.AccessLogs.ToDictionary(o => o.Port, o => new AccessLogQueue(o));
        All = [.. _byPort.Values];
    }

    public IReadOnlyList<AccessLogQueue> All { get; }

    /// <summary>True when some listener logs: the request step skips everything about logs otherwise.</summary>
    public bool Any => All.Count > 0;

    public AccessLogQueue? For(int localPort) => _byPort.GetValueOrDefault(localPort);
}
