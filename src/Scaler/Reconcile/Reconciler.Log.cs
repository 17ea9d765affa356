using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Reconcile;

public sealed partial class Reconciler
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Service}: {Action} {Subject}: {Reason} -> {Outcome}")]
    private partial void LogDecision(string service, string action, string subject, string reason, string outcome);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Service}: replica {Container} stopped and removed")]
    private partial void LogRemoved(string container, string service);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Service}: could not remove replica {Container}, the next pass retries: {Error}")]
    private partial void LogRemoveFailed(string container, string service, string error);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Could not deregister replica {Container}: {Error}")]
    private partial void LogDeregisterFailed(string container, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Host {Host} ({Zone}) is unreachable: scale-in of {Services} is frozen until it answers ({Error})")]
    private partial void LogHostUnavailable(string host, string zone, string services, string error);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "{Service}: replica {Container} passed its first health check {Milliseconds:0} ms after it was started ({Probes} probes)")]
    private partial void LogStartupPassed(string service, string container, double milliseconds, int probes);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "{Service}: replica {Container} did not pass a health check within {Milliseconds:0} ms of its start period ({Probes} probes)")]
    private partial void LogStartupFailed(string service, string container, double milliseconds, int probes);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "{Service}: host {Host} lacks image {Image} of version {Version} and is left out of its placement: {Why}")]
    private partial void LogHostLacksImage(string service, string host, string image, string version, string why);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "{Service}: host {Host} can run version {Version} again (its image is there, or can be pulled)")]
    private partial void LogHostImageBack(string service, string host, string version);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "{Service}: {Action} of {Kind} {Subject} stopped: {Reason}")]
    private partial void LogStoppedNotLeading(string service, string action, string kind, string subject, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Host {Host} ({Zone}) answers again")]
    private partial void LogHostBack(string host, string zone);
}
