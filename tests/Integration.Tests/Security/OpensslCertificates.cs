using System.Diagnostics;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// A test CA made with openssl, as an operator makes one: a server certificate for 127.0.0.1 and a client certificate
/// signed by it, and a second CA that signed neither (the wrong one). PEM files in a temporary directory.
/// </summary>
internal sealed class OpensslCertificates : IDisposable
{
    private OpensslCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string Ca => File("ca.pem");

    public string ServerCertificate => File("server.pem");

    public string ServerKey => File("server-key.pem");

    public string ClientCertificate => File("client.pem");

    public string ClientKey => File("client-key.pem");

    public string WrongCa => File("wrong-ca.pem");

    public static async Task<OpensslCertificates> CreateAsync()
    {
        var certificates = new OpensslCertificates(System.IO.Directory.CreateTempSubdirectory("bollard-certs-").FullName);
        try
        {
            await certificates.SelfSignedAsync("ca", "/CN=bollard test ca");
            await certificates.SelfSignedAsync("wrong-ca", "/CN=bollard wrong ca");
            await certificates.SignedAsync("server", "/CN=server.dc1.consul", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:server.dc1.consul\nextendedKeyUsage=serverAuth,clientAuth\n");
            await certificates.SignedAsync("client", "/CN=bollard agent", "extendedKeyUsage=clientAuth\n");
            return certificates;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private string File(string name) => Path.Combine(Directory, name);

    private Task SelfSignedAsync(string name, string subject) =>
        OpensslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", subject, "-keyout", File($"{name}-key.pem"), "-out", File($"{name}.pem"));

    private async Task SignedAsync(string name, string subject, string extensions)
    {
        await OpensslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", subject, "-keyout", File($"{name}-key.pem"), "-out", File($"{name}.csr"));
        await System.IO.File.WriteAllTextAsync(File($"{name}.ext"), extensions);
        await OpensslAsync("x509", "-req", "-in", File($"{name}.csr"), "-CA", Ca, "-CAkey", File("ca-key.pem"), "-CAcreateserial",
            "-days", "1", "-extfile", File($"{name}.ext"), "-out", File($"{name}.pem"));
    }

    private static async Task OpensslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {await errors}");
        }
    }
}
