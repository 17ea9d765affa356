using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Cluster;

public sealed partial class HostAgent
{
    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Consul is unreachable while {Doing}; retrying: {Error}")]
    private partial void LogConsulUnavailable(string doing, string error);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "This agent's Consul session was lost (its host reports went with it); a new one is made at the next publication")]
    private partial void LogSessionLost();

    [LoggerMessage(EventId = 2403, Level = LogLevel.Information, Message = "Host {Host} is published again")]
    private partial void LogPublishingAgain(string host);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Error, Message = "Host {Host} is already published by {Agent}: host names must be unique in the cluster; this agent's report is not published")]
    private partial void LogHostClaimed(string host, string agent);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Information, Message = "Host {Host}: ran {Command} for the controller -> {Outcome}")]
    private partial void LogCommandRan(string host, HostCommand command, string outcome);

    [LoggerMessage(EventId = 2407, Level = LogLevel.Warning, Message = "Host {Host}: {Command} is not held by the controller lock's session (written by a controller that lost the lock); not run")]
    private partial void LogCommandNotFromController(string host, HostCommand command);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Information, Message = "Host {Host}: the controller gave up on {Command} before its result was written")]
    private partial void LogCommandAbandoned(string host, HostCommand command);
}
