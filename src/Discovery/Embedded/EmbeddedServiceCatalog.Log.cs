using Microsoft.Extensions.Logging;

namespace Bollard.Discovery.Embedded;

public sealed partial class EmbeddedServiceCatalog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Registered {InstanceId} of {Service} {Version} in zone {Zone}")]
    private static partial void LogRegistered(ILogger logger, string instanceId, string service, string version, string zone);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Deregistered {InstanceId}")]
    private static partial void LogDeregistered(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Health of {InstanceId} ({Service}) is now {Status}")]
    private static partial void LogStatusChanged(ILogger logger, string instanceId, string service, string status);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Deregistered {InstanceId}: critical for longer than {DeregisterCriticalAfter}")]
    private static partial void LogCriticalDeregistered(ILogger logger, string instanceId, TimeSpan deregisterCriticalAfter);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Health probe of {InstanceId} threw; counted as failed")]
    private static partial void LogProbeThrew(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "A health check pass failed; retrying")]
    private static partial void LogCheckPassFailed(ILogger logger, Exception exception);
}
