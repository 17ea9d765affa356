using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bollard.Scaler.Admin;
using Bollard.Scaler.State;

namespace Bollard.Cli;

/// <summary>
/// Talks to the daemon's admin API and turns every failure into a <see cref="CliException"/> with the exit code
/// scripts rely on: 3 when the daemon cannot be reached, 4 when the token is refused, 1 when the request is refused.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly Uri _server;

    private AdminClient(Uri server, string token)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.TryAddWithoutValidation("X-Bollard-Actor", $"{Environment.UserName}@{Environment.MachineName}");
    }

    public static AdminClient Create(CliArguments args, CliContext context) => new(args.ServerUri(context), Token(args, context));

    public void Dispose() => _http.Dispose();

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<T> PostJsonAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json") }, cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                var why = e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connection refused" : e.Message;
                throw new CliException(CommandLine.Unreachable, $"bollard: cannot reach the bollard daemon at {Display} ({why}); is `bollard agent` running?");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(CommandLine.Unreachable, $"bollard: the bollard daemon at {Display} did not answer within {Timeout.TotalSeconds:0}s");
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw new CliException(CommandLine.AuthFailed, "bollard: the daemon refused the token (401): check --token-file (or BOLLARD_TOKEN, BOLLARD_TOKEN_FILE)");
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new CliException(CommandLine.Failed, Problem.Describe(response.StatusCode, body));
                }

                return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)
                    ?? throw new CliException(CommandLine.Failed, $"bollard: the daemon answered {request.RequestUri} with an empty body");
            }
        }
    }

    private string Display => _server.ToString().TrimEnd('/');

    private static string Token(CliArguments args, CliContext context)
    {
        if (args.TokenFile is null && context.Environment("BOLLARD_TOKEN") is { Length: > 0 } token)
        {
            return token.Trim();
        }

        var file = args.TokenFile ?? context.Environment("BOLLARD_TOKEN_FILE") ?? Path.Combine(StateDirectory.Default, AdminToken.DefaultFileName);
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(CommandLine.AuthFailed, $"bollard: cannot read the admin token from {file} ({e.Message}); pass --token-file PATH or set BOLLARD_TOKEN");
        }
    }
}
