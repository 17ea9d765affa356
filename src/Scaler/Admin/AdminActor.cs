using Microsoft.AspNetCore.Http;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Who made a request, for the audit log: the name the CLI sends in <see cref="Header"/> (user@host; it is a claim, not
/// proof: the token is what authenticates) and the address the request came from.
/// </summary>
internal static class AdminActor
{
    public const string Header = "X-Bollard-Actor";
    private const int MaxLength = 64;

    public static string Of(HttpContext context)
    {
        var claimed = new string([.. context.Request.Headers[Header].ToString().Where(c => !char.IsControl(c)).Take(MaxLength)]).Trim();
        var from = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return claimed.Length > 0 ? $"{claimed} via {from}" : $"token holder via {from}";
    }
}
