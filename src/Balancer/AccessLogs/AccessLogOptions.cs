namespace Bollard.Balancer.AccessLogs;

/// <summary>The access log of one listener: where its lines go, in which format, and how many may wait to be written.</summary>
public sealed class AccessLogOptions
{
    public const int DefaultQueueCapacity = 10_000;

    /// <summary>The local port of the listener whose requests are logged (a request is told by the port it arrived on).</summary>
    public int Port { get; set; }

    /// <summary>The file lines are appended to; "-" writes them to standard output (the journal, under systemd).</summary>
    public string File { get; set; } = "-";

    public AccessLogFormat Format { get; set; } = AccessLogFormat.Json;

    /// <summary>
    /// Lines waiting for the writer at most; a request finding the queue full drops its line (counted in
    /// <c>bollard_balancer_access_log_dropped_total</c>) rather than wait for a slow disk.
    /// </summary>
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;
}

public enum AccessLogFormat
{
    /// <summary>One JSON object a line.</summary>
    Json,

    /// <summary>The Common Log Format, then Bollard's fields as key=value pairs.</summary>
    Common,

    /// <summary>The Combined Log Format (Common plus referer and user agent), then Bollard's fields as key=value pairs.</summary>
    Combined,
}
