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
/// scripts rely on: 3 when the daemon cannot be reached (or what answers is not a bollard daemon), 4 when the token is
/// refused or cannot be read, 1 when the request is refused.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly Func<string> _token;
    private bool _authorized;

    private AdminClient(Uri server, Func<string> token)
    {
        _server = server;
        _token = token;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("X-Bollard-Actor", $"{Environment.UserName}@{Environment.MachineName}");
    }

    public static AdminClient Create(CliSettings settings, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.ServerUri(context), () => Token(settings, context));
    }

    public void Dispose() => _http.Dispose();

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<T> PostJsonAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json") }, cancellationToken);

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(cancellationToken);
        using var request = create();
        using var response = await SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new CliException(CommandLine.AuthFailed, "bollard: the daemon refused the token (401): check --token-file (or BOLLARD_TOKEN, BOLLARD_TOKEN_FILE)");
        }

        if (!response.IsSuccessStatusCode)
        {
            // A bollard daemon explains every refusal in a problem document; anything else is another server.
            throw problem ? new CliException(CommandLine.Failed, Problem.Describe(response.StatusCode, body)) : NotBollard($"it answered {(int)response.StatusCode} {response.ReasonPhrase} to {request.RequestUri}");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web) ?? throw NotBollard($"it answered {request.RequestUri} with an empty body");
        }
        catch (JsonException)
        {
            throw NotBollard($"it answered {request.RequestUri} with {response.Content.Headers.ContentType?.MediaType ?? "something"} that is not the API's JSON");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(CommandLine.Unreachable, $"bollard: the bollard daemon at {Display} did not answer within {Timeout.TotalSeconds:0}s");
        }
    }

    /// <summary>
    /// Reads the token before the first request. When it cannot be read, the daemon is asked whether it is there at all
    /// (its /healthz needs no token): a stopped daemon is said to be unreachable, not an authentication failure.
    /// </summary>
    private async Task AuthorizeAsync(CancellationToken cancellationToken)
    {
        if (_authorized)
        {
            return;
        }

        string token;
        try
        {
            token = _token();
        }
        catch (CliException)
        {
            if (!await AnswersAsync(cancellationToken))
            {
                throw new CliException(CommandLine.Unreachable, $"bollard: cannot reach the bollard daemon at {Display} (and the admin token cannot be read either); is `bollard agent` running?");
            }

            throw;
        }

        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _authorized = true;
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await _http.GetAsync("healthz", timeout.Token);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private CliException Unreachable(HttpRequestException e)
    {
        var why = e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connection refused" : e.Message;
        return new CliException(CommandLine.Unreachable, $"bollard: cannot reach the bollard daemon at {Display} ({why}); is `bollard agent` running?");
    }

    private CliException NotBollard(string what) =>
        new(CommandLine.Unreachable, $"bollard: no bollard admin API at {Display}: {what}; check --server (or BOLLARD_SERVER): the admin API listens on the agent's 'admin' address, {CliOptions.DefaultServer} by default");

    private string Display => _server.ToString().TrimEnd('/');

    private static string Token(CliSettings settings, CliContext context)
    {
        if (settings.TokenFile is null && context.Environment("BOLLARD_TOKEN") is { Length: > 0 } token)
        {
            return token.Trim();
        }

        var file = settings.TokenFile ?? context.Environment("BOLLARD_TOKEN_FILE") ?? Path.Combine(StateDirectory.Default, AdminToken.DefaultFileName);
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
