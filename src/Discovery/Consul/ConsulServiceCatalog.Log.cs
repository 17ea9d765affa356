using Microsoft.Extensions.Logging;

namespace Bollard.Discovery.Consul;

public sealed partial class ConsulServiceCatalog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Registered {InstanceId} of {Service} {Version} in zone {Zone} with Consul")]
    private static partial void LogRegistered(ILogger logger, string instanceId, string service, string version, string zone);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Deregistered {InstanceId} from Consul")]
    private static partial void LogDeregistered(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Watching {Service} failed (attempt {Attempt}); retrying with backoff: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string service, int attempt, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Watching {Service} works again after {Failures} failed attempts")]
    private static partial void LogWatchRecovered(ILogger logger, string service, int failures);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Consul index of {Service} went backwards ({Previous} -> {Returned}); re-reading from scratch")]
    private static partial void LogIndexWentBackwards(ILogger logger, string service, ulong previous, ulong returned);
}
