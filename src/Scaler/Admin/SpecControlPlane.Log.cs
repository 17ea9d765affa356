using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Admin;

internal sealed partial class SpecControlPlane
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Specs applied by {Actor}: {Summary}")]
    private partial void LogApplied(string actor, string summary);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Plan without the running containers (the engine cannot be read): {Error}")]
    private partial void LogEngineUnavailable(string error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Could not write the audit entry of {Action}: {Error}")]
    private partial void LogAuditFailed(string action, string error);
}
