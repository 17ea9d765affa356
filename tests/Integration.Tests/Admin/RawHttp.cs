using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bollard.IntegrationTests.Admin;

/// <summary>
/// One HTTP/1.1 request written byte for byte: the request target goes out exactly as given (HttpClient and Uri would
/// collapse dot segments and unescape letters), so a test sends the spellings an attacker would.
/// </summary>
internal static class RawHttp
{
    /// <returns>The status code and the body (or what came of it).</returns>
    public static async Task<(int Status, string Body)> SendAsync(IPEndPoint server, string method, string target, IReadOnlyDictionary<string, string> headers, string body = "")
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(server, timeout.Token);
        await using var stream = client.GetStream();
        var content = Encoding.UTF8.GetBytes(body);
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {content.Length}\r\n")
            .Append("Connection: close\r\n");
        if (!headers.ContainsKey("Host"))
        {
            request.Append(CultureInfo.InvariantCulture, $"Host: {server}\r\n");
        }

        foreach (var (name, value) in headers)
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), timeout.Token);
        await stream.WriteAsync(content, timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(timeout.Token);
        var status = answer.Split(' ', 3) is [_, var code, ..] && int.TryParse(code, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? answer : answer[(split + 4)..]);
    }
}
