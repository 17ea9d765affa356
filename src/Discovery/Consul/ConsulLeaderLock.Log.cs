using Microsoft.Extensions.Logging;

namespace Bollard.Discovery.Consul;

public sealed partial class ConsulLeaderLock
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Leadership of {Key} for {Holder}: leader = {IsLeader}")]
    private static partial void LogLeadershipChanged(ILogger logger, string key, string holder, bool isLeader);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Leader session for {Key} was lost (its checks failed, it expired or was destroyed); creating a new one")]
    private static partial void LogSessionLost(ILogger logger, string key);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Consul unavailable for leader lock {Key}; not leading until it answers: {Reason}")]
    private static partial void LogConsulUnavailable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Consul refused writing {Key}: this process's session no longer holds {LeaderKey}")]
    private static partial void LogFenced(ILogger logger, string key, string leaderKey);
}
