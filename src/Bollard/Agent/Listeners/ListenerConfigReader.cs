using System.Net;
using Bollard.Agent.Tls;
using Bollard.Scaler.Specs;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bollard.Agent.Listeners;

/// <summary>
/// Reads <c>listeners:</c>, the TLS fields of a listener (also the admin's) and the <c>tls:</c> block of agent.yaml.
/// Certificate files are loaded here, so a missing file, a key that does not match its certificate or a CA file with
/// no certificate is a located config error at start, not a failed handshake later.
/// </summary>
internal static class ListenerConfigReader
{
    private const string Http1 = "http1";
    private const string Http2 = "http2";

    /// <summary>The <c>listeners:</c> list; null when the field is absent.</summary>
    public static IReadOnlyList<ListenerConfig>? Read(YamlMappingReader yaml, string baseDir)
    {
        if (yaml.MappingList("listeners") is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            yaml.Error("listeners", "must list at least one listener (- {address: 0.0.0.0:80}), or be left out for listen's single one");
            return null;
        }

        var listeners = new List<ListenerConfig>();
        foreach (var item in items)
        {
            var address = EndPoint(item, "address", required: true);
            var scheme = item.Text("scheme") ?? "http";
            var https = scheme == "https";
            if (scheme is not ("http" or "https"))
            {
                item.Error("scheme", $"'{scheme}' is not a scheme (http or https)");
            }

            var tls = ReadTls(item, baseDir, required: https);
            if (!https && tls is not null)
            {
                item.Error("certificates", "certificates need scheme: https (this listener is plain http)");
                tls = null;
            }

            var protocols = Protocols(item, https);
            var accessLog = AccessLogConfig.Read(item, baseDir);
            item.RejectUnknownFields();
            if (address is null)
            {
                continue;
            }

            if (listeners.Any(l => l.Address.Equals(address)))
            {
                item.Error("address", $"{address} is listed twice; each listener needs an address of its own");
            }

            listeners.Add(new ListenerConfig(address, tls, protocols, accessLog));
        }

        return listeners;
    }

    /// <summary>
    /// The TLS fields of a listener mapping: <c>certificates</c> (a list of <c>{certFile, keyFile}</c>, paths relative
    /// to the config file) and <c>clientCaFile</c>; null when there are no certificates.
    /// </summary>
    public static ListenerTls? ReadTls(YamlMappingReader yaml, string baseDir, bool required)
    {
        var entries = yaml.MappingList("certificates");
        var clientCa = ClientCa(yaml, baseDir);
        if (entries is null || entries.Count == 0)
        {
            if (required)
            {
                yaml.Error("certificates", "an https listener needs certificates: - {certFile: /path/fullchain.pem, keyFile: /path/privkey.pem}");
            }
            else if (clientCa is not null)
            {
                yaml.Error("clientCaFile", "client certificates need TLS: give the listener certificates too");
            }

            return null;
        }

        var certificates = new List<CertificateFiles>();
        foreach (var entry in entries)
        {
            var cert = entry.Text("certFile", required: true);
            var key = entry.Text("keyFile", required: true);
            entry.RejectUnknownFields();
            if (cert is null || key is null)
            {
                continue;
            }

            var files = new CertificateFiles(Path.GetFullPath(cert, baseDir), Path.GetFullPath(key, baseDir));
            try
            {
                var loaded = ServerCertificate.Load(files);
                if (loaded.Names.Count == 0)
                {
                    entry.Error("certFile", $"{files.CertFile} names no DNS name (subjectAltName or common name): SNI cannot pick it");
                }
            }
            catch (CertificateFileException e)
            {
                entry.Error(e.File == files.KeyFile ? "keyFile" : "certFile", e.Message);
            }

            certificates.Add(files);
        }

        return new ListenerTls(certificates, clientCa);
    }

    /// <summary>How often certificate files are read again (<c>tls.reloadInterval</c>, 1s to 1h).</summary>
    public static TimeSpan? ReloadInterval(YamlMappingReader? tls)
    {
        var interval = tls?.Duration("reloadInterval", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        tls?.RejectUnknownFields();
        return interval;
    }

    /// <summary>
    /// The admin listener reachable from other hosts must be HTTPS, or plain HTTP by an explicit
    /// <c>admin.allowPlainHttp: true</c> (its bearer token would cross the network in clear); and its port must be its
    /// own, since requests are told apart from the balancer's by the port they arrived on.
    /// </summary>
    public static void CheckAdmin(YamlMappingReader yaml, YamlMappingReader? admin, AgentConfig config)
    {
        var where = admin ?? yaml;
        var key = admin is null ? "admin" : "listen";
        if (!IPAddress.IsLoopback(config.Admin.Address) && config.AdminTls is null && !config.AdminAllowPlainHttp)
        {
            where.Error(key, $"the admin listener {config.Admin} is not on loopback: give it certificates (admin: {{listen: ..., certificates: [{{certFile: ..., keyFile: ...}}]}}) so that its token does not cross the network in clear, or set admin.allowPlainHttp: true to accept that");
        }

        if (config.EffectiveListeners.FirstOrDefault(l => l.Address.Port == config.Admin.Port) is { } clash)
        {
            where.Error(key, $"port {config.Admin.Port} is also the balancer listener {clash}'s: the admin listener needs a port of its own");
        }
    }

    public static IPEndPoint? EndPoint(YamlMappingReader yaml, string key, bool required = false)
    {
        var text = yaml.Text(key, required);
        if (text is null)
        {
            return null;
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535)
        {
            return endpoint;
        }

        yaml.Error(key, $"must be an IP address and port, e.g. 127.0.0.1:8080 or 0.0.0.0:80; got '{text}'");
        return null;
    }

    private static string? ClientCa(YamlMappingReader yaml, string baseDir)
    {
        if (yaml.Text("clientCaFile") is not { } text)
        {
            return null;
        }

        var file = Path.GetFullPath(text, baseDir);
        try
        {
            ClientCertificateCheck.FromPem(CertificateFileException.Read(file), file);
        }
        catch (CertificateFileException e)
        {
            yaml.Error("clientCaFile", e.Message);
        }

        return file;
    }

    private static HttpProtocols Protocols(YamlMappingReader yaml, bool https)
    {
        if (yaml.Items("protocols") is not { } items)
        {
            return https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        }

        var protocols = HttpProtocols.None;
        foreach (var item in items)
        {
            switch (item.Text)
            {
                case Http1:
                    protocols |= HttpProtocols.Http1;
                    break;
                case Http2:
                    protocols |= HttpProtocols.Http2;
                    break;
                default:
                    item.Error($"'{item.Text}' is not a protocol (http1 or http2)");
                    break;
            }
        }

        if (protocols == HttpProtocols.None)
        {
            yaml.Error("protocols", "must name http1, http2 or both");
            return https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        }

        if (!https && protocols == HttpProtocols.Http1AndHttp2)
        {
            yaml.Error("protocols", "a plain http listener speaks http1 or http2 (h2c with prior knowledge), not both: without TLS nothing tells them apart (ALPN); use scheme: https for both, or two listeners");
        }

        return protocols;
    }
}
