namespace Bollard.Discovery.Consul;

/// <summary>
/// The environment variables every Consul client honours (the consul CLI, consul-template, envconsul...):
/// <c>CONSUL_HTTP_ADDR</c> (with <c>CONSUL_HTTP_SSL</c> for an address without a scheme), <c>CONSUL_HTTP_TOKEN_FILE</c>,
/// <c>CONSUL_HTTP_TOKEN</c>, <c>CONSUL_CACERT</c>, <c>CONSUL_CLIENT_CERT</c> and <c>CONSUL_CLIENT_KEY</c>. The caller
/// decides what wins over them (the agent config does); the token's value is read only by <see cref="Token"/>, so that
/// no settings object ever holds it next to things that get printed.
/// </summary>
public static class ConsulEnvironment
{
    public const string Address = "CONSUL_HTTP_ADDR";
    public const string Ssl = "CONSUL_HTTP_SSL";
    public const string TokenVariable = "CONSUL_HTTP_TOKEN";
    public const string TokenFile = "CONSUL_HTTP_TOKEN_FILE";
    public const string CaCert = "CONSUL_CACERT";
    public const string ClientCert = "CONSUL_CLIENT_CERT";
    public const string ClientKey = "CONSUL_CLIENT_KEY";

    /// <summary>The process's own environment.</summary>
    public static Func<string, string?> Process { get; } = Environment.GetEnvironmentVariable;

    /// <summary>What the variables say (empty ones count as unset), and what is wrong with them.</summary>
    public static ConsulEnvironmentSettings Read(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<string>();
        string? Get(string name) => variables(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        return new ConsulEnvironmentSettings(
            Get(Address) is { } address ? ParseAddress(address, Get(Ssl), problems) : null,
            Get(TokenFile),
            Get(TokenVariable) is not null,
            Get(CaCert),
            Get(ClientCert),
            Get(ClientKey),
            problems);
    }

    /// <summary>The token <c>CONSUL_HTTP_TOKEN</c> holds; null when unset.</summary>
    public static string? Token(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return variables(TokenVariable) is { } token && !string.IsNullOrWhiteSpace(token) ? token.Trim() : null;
    }

    /// <summary>
    /// "host:port" takes http, or https when CONSUL_HTTP_SSL is true (Go's boolean spellings, as Consul reads it);
    /// an address with a scheme must be http or https (a unix socket is not supported).
    /// </summary>
    private static Uri? ParseAddress(string text, string? ssl, List<string> problems)
    {
        var https = false;
        if (ssl is not null)
        {
            switch (ssl)
            {
                case "1" or "t" or "T" or "true" or "TRUE" or "True":
                    https = true;
                    break;
                case "0" or "f" or "F" or "false" or "FALSE" or "False":
                    break;
                default:
                    problems.Add($"{Ssl} must be true or false; got '{ssl}'.");
                    break;
            }
        }

        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : $"{(https ? "https" : "http")}://{text}";
        if (Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
        {
            return uri;
        }

        problems.Add($"{Address} must be host:port or an http(s) URL, e.g. 127.0.0.1:8500 or https://consul.example:8501; got '{text}'.");
        return null;
    }
}

/// <summary>What the Consul environment variables set; null: unset.</summary>
/// <param name="Address">From CONSUL_HTTP_ADDR (and CONSUL_HTTP_SSL).</param>
/// <param name="TokenFile">From CONSUL_HTTP_TOKEN_FILE.</param>
/// <param name="HasToken">Whether CONSUL_HTTP_TOKEN is set (its value: <see cref="ConsulEnvironment.Token"/>).</param>
/// <param name="CaFile">From CONSUL_CACERT.</param>
/// <param name="CertFile">From CONSUL_CLIENT_CERT.</param>
/// <param name="KeyFile">From CONSUL_CLIENT_KEY.</param>
/// <param name="Problems">Variables that are set but unusable, each naming the variable.</param>
public sealed record ConsulEnvironmentSettings(
    Uri? Address,
    string? TokenFile,
    bool HasToken,
    string? CaFile,
    string? CertFile,
    string? KeyFile,
    IReadOnlyList<string> Problems);
