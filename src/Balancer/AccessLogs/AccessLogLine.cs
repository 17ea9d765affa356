using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bollard.Balancer.AccessLogs;

/// <summary>Formats an entry as one line (pure). Durations in seconds with millisecond precision, as nginx's $request_time.</summary>
internal static class AccessLogLine
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(AccessLogEntry entry, AccessLogFormat format) => format switch
    {
        AccessLogFormat.Json => Json(entry),
        AccessLogFormat.Common => Clf(entry, combined: false),
        _ => Clf(entry, combined: true),
    };

    public static string Json(AccessLogEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("time", entry.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("client", entry.Client);
            json.WriteString("method", entry.Method);
            json.WriteString("target", entry.Target);
            json.WriteString("protocol", entry.Protocol);
            json.WriteString("host", entry.Host);
            json.WriteNumber("status", entry.Status);
            json.WriteNumber("bytes", entry.Bytes);
            json.WriteNumber("duration", Seconds(entry.Duration));
            if (entry.UpstreamDuration is { } upstream)
            {
                json.WriteNumber("upstreamDuration", Seconds(upstream));
            }
            else
            {
                json.WriteNull("upstreamDuration");
            }

            json.WriteString("service", entry.Service);
            json.WriteString("replica", entry.Replica);
            json.WriteString("version", entry.Version);
            json.WriteString("zone", entry.Zone);
            json.WriteNumber("retries", entry.Retries);
            json.WriteString("traceId", entry.TraceId);
            json.WriteString("referer", entry.Referer);
            json.WriteString("userAgent", entry.UserAgent);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <c>client - - [time] "METHOD target PROTOCOL" status bytes</c> (bytes "-" when none), with
    /// <c> "referer" "user-agent"</c> for combined, then Bollard's fields as <c>key=value</c>.
    /// </summary>
    public static string Clf(AccessLogEntry entry, bool combined)
    {
        var line = new StringBuilder(256);
        var invariant = CultureInfo.InvariantCulture;
        line.Append(entry.Client).Append(" - - [")
            .Append(ClfTime(entry.Time))
            .Append("] \"").Append(Escape(entry.Method)).Append(' ').Append(Escape(entry.Target)).Append(' ').Append(entry.Protocol).Append("\" ")
            .Append(entry.Status.ToString(invariant)).Append(' ')
            .Append(entry.Bytes > 0 ? entry.Bytes.ToString(invariant) : "-");
        if (combined)
        {
            line.Append(" \"").Append(Escape(entry.Referer ?? "-")).Append("\" \"").Append(Escape(entry.UserAgent ?? "-")).Append('"');
        }

        line.Append(" service=").Append(entry.Service)
            .Append(" replica=").Append(entry.Replica ?? "-")
            .Append(" version=").Append(entry.Version ?? "-")
            .Append(" zone=").Append(entry.Zone ?? "-")
            .Append(" duration=").Append(Seconds(entry.Duration).ToString("0.000", invariant))
            .Append(" upstream=").Append(entry.UpstreamDuration is { } upstream ? Seconds(upstream).ToString("0.000", invariant) : "-")
            .Append(" retries=").Append(entry.Retries.ToString(invariant))
            .Append(" trace=").Append(entry.TraceId);
        return line.ToString();
    }

    /// <summary>The trace id of a W3C traceparent (<c>00-&lt;32 hex&gt;-&lt;16 hex&gt;-&lt;2 hex&gt;</c>); null when it is not one.</summary>
    public static string? TraceIdOf(string? traceparent)
    {
        if (traceparent is not { Length: >= 55 } || traceparent[2] != '-' || traceparent[35] != '-')
        {
            return null;
        }

        var id = traceparent.AsSpan(3, 32);
        return id.ContainsAnyExcept(Hex) || !id.ContainsAnyExcept('0') ? null : id.ToString();
    }

    /// <summary>07/Dec/2026:18:40:00 +0000, as the Common Log Format writes time.</summary>
    public static string ClfTime(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture, $"{time:dd/MMM/yyyy:HH:mm:ss} {sign}{offset.Duration():hhmm}");
    }

    private static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);

    /// <summary>Quotes and control characters in a quoted field are escaped, so a client cannot forge a line or a field.</summary>
    private static string Escape(string text)
    {
        if (!text.AsSpan().ContainsAny("\"\\") && !text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => escaped.Append("\\\""),
                '\\' => escaped.Append("\\\\"),
                _ when char.IsControl(c) => escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
