using Bollard.Balancer.AccessLogs;
using Bollard.Scaler.Specs;

namespace Bollard.Agent.Listeners;

/// <summary>
/// A listener's access log (<c>accessLog: {file, format, queue}</c>, on a listener or at the top of agent.yaml for every
/// listener without its own).
/// </summary>
/// <param name="File">An absolute path, or "-" for standard output.</param>
/// <param name="Format">json, common or combined.</param>
/// <param name="QueueCapacity">Lines waiting to be written at most; beyond, lines are dropped and counted.</param>
public sealed record AccessLogConfig(string File, AccessLogFormat Format = AccessLogFormat.Json, int QueueCapacity = AccessLogOptions.DefaultQueueCapacity)
{
    /// <summary>Reads <c>accessLog</c> of a mapping; null when absent. The file's folder must exist.</summary>
    public static AccessLogConfig? Read(YamlMappingReader yaml, string baseDir)
    {
        if (yaml.Mapping("accessLog") is not { } log)
        {
            return null;
        }

        var file = log.Text("file", required: true);
        var format = log.Text("format") switch
        {
            null or "json" => AccessLogFormat.Json,
            "common" => AccessLogFormat.Common,
            "combined" => AccessLogFormat.Combined,
            var other => Invalid(log, other),
        };
        var queue = log.WholeNumber("queue", 1, 10_000_000) ?? AccessLogOptions.DefaultQueueCapacity;
        log.RejectUnknownFields();
        if (file is null)
        {
            return null;
        }

        if (file != "-")
        {
            file = Path.GetFullPath(file, baseDir);
            if (!Directory.Exists(Path.GetDirectoryName(file)))
            {
                log.Error("file", $"the folder of {file} does not exist");
            }
        }

        return new AccessLogConfig(file, format, queue);
    }

    private static AccessLogFormat Invalid(YamlMappingReader log, string format)
    {
        log.Error("format", $"'{format}' is not an access log format (json, common or combined)");
        return AccessLogFormat.Json;
    }
}
