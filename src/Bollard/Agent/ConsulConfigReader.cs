using Bollard.Discovery.Consul;
using Bollard.Scaler.Specs;

namespace Bollard.Agent;

/// <summary>
/// Reads the agent config's <c>consul</c> block. The standard Consul environment variables fill what the block leaves
/// out (the block wins, field by field): the address (<c>CONSUL_HTTP_ADDR</c>, else http://127.0.0.1:8500), the token
/// (<c>consul.tokenFile</c>, else <c>CONSUL_HTTP_TOKEN_FILE</c>, else <c>CONSUL_HTTP_TOKEN</c>), the CA
/// (<c>CONSUL_CACERT</c>) and the client certificate (<c>CONSUL_CLIENT_CERT</c> and <c>CONSUL_CLIENT_KEY</c>, as a pair).
/// The environment never turns Consul on by itself: without a <c>consul</c> block the agent runs the embedded catalog.
/// </summary>
internal static class ConsulConfigReader
{
    /// <param name="consul">The block; null when the config has none.</param>
    /// <param name="baseDir">The config file's folder (relative paths in the block are resolved against it).</param>
    /// <param name="file">The config file, to locate problems of the environment.</param>
    /// <param name="environment">The environment variables.</param>
    /// <param name="errors">Where problems go.</param>
    public static ConsulConfig? Read(YamlMappingReader? consul, string baseDir, string file, Func<string, string?> environment, List<SpecError> errors)
    {
        if (consul is null)
        {
            return null;
        }

        var env = ConsulEnvironment.Read(environment);
        var address = Address(consul);
        if (address is null && consul.Text("address") is null)
        {
            errors.AddRange(env.Problems.Select(p => EnvironmentError(file, p)));
            address = env.Address ?? ConsulOptions.DefaultAddress;
        }

        var tokenFile = Path(consul, "tokenFile", baseDir) ?? (env.TokenFile is { } f ? System.IO.Path.GetFullPath(f) : null);
        var config = new ConsulConfig(address, tokenFile, TokenFromEnvironment: tokenFile is null && env.HasToken, null, null, null);
        return address?.Scheme == Uri.UriSchemeHttps
            ? WithTls(config, consul, baseDir, file, env, errors)
            : WithoutTls(config, consul);
    }

    private static ConsulConfig WithTls(ConsulConfig config, YamlMappingReader consul, string baseDir, string file, ConsulEnvironmentSettings env, List<SpecError> errors)
    {
        var ca = ExistingFile(consul, "caFile", baseDir) ?? EnvironmentFile(ConsulEnvironment.CaCert, env.CaFile, file, errors);
        var (cert, key) = consul.Text("certFile") is not null || consul.Text("keyFile") is not null
            ? (ExistingFile(consul, "certFile", baseDir), ExistingFile(consul, "keyFile", baseDir))
            : (EnvironmentFile(ConsulEnvironment.ClientCert, env.CertFile, file, errors), EnvironmentFile(ConsulEnvironment.ClientKey, env.KeyFile, file, errors));
        if ((cert is null) != (key is null))
        {
            errors.Add(new SpecError(file, 0, 0, "consul", "a client certificate needs its key: set certFile and keyFile together (or CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY)"));
        }

        return config with { CaFile = ca, CertFile = cert, KeyFile = key };
    }

    /// <summary>TLS files in the block of an http address are a mistake worth stopping for; the environment's are ignored, as the consul CLI does.</summary>
    private static ConsulConfig WithoutTls(ConsulConfig config, YamlMappingReader consul)
    {
        foreach (var key in new[] { "caFile", "certFile", "keyFile" })
        {
            if (consul.Text(key) is not null)
            {
                consul.Error(key, $"is for HTTPS, but Consul's address is {config.Address}: use https://HOST:PORT (Consul's ports.https)");
            }
        }

        return config;
    }

    private static Uri? Address(YamlMappingReader consul)
    {
        var text = consul.Text("address");
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        consul.Error("address", $"must be an http(s) URL such as http://127.0.0.1:8500 or https://127.0.0.1:8501, got '{text}'");
        return null;
    }

    private static string? Path(YamlMappingReader consul, string key, string baseDir) =>
        consul.Text(key) is { } text ? System.IO.Path.GetFullPath(text, baseDir) : null;

    private static string? ExistingFile(YamlMappingReader consul, string key, string baseDir)
    {
        var path = Path(consul, key, baseDir);
        if (path is not null && !File.Exists(path))
        {
            consul.Error(key, $"file {path} does not exist (a PEM file)");
        }

        return path;
    }

    private static string? EnvironmentFile(string variable, string? value, string file, List<SpecError> errors)
    {
        if (value is null)
        {
            return null;
        }

        var path = System.IO.Path.GetFullPath(value);
        if (!File.Exists(path))
        {
            errors.Add(EnvironmentError(file, $"{variable}: file {path} does not exist (a PEM file)."));
        }

        return path;
    }

    private static SpecError EnvironmentError(string file, string problem) =>
        new(file, 0, 0, "consul", $"{problem} (from the environment: the consul block leaves it out)");
}

/// <summary>Where the agent reaches Consul, merged from the agent config and the environment. Holds no secret.</summary>
/// <param name="Address">Consul's HTTP API.</param>
/// <param name="TokenFile">A file holding the ACL token.</param>
/// <param name="TokenFromEnvironment">The token is CONSUL_HTTP_TOKEN's (read when the agent is built, never kept here).</param>
/// <param name="CaFile">PEM CA(s) trusted for Consul's certificate (https only).</param>
/// <param name="CertFile">PEM client certificate (https only).</param>
/// <param name="KeyFile">Its PEM private key.</param>
public sealed record ConsulConfig(Uri? Address, string? TokenFile, bool TokenFromEnvironment, string? CaFile, string? CertFile, string? KeyFile);
