using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Docker;

/// <summary>
/// A registry of one test's own that wants credentials (htpasswd, the registry's basic auth), on a free loopback port:
/// the same docker-registry binary scripts/deps.sh installs, started and stopped by this process. Its storage is a
/// temporary folder removed with it.
/// </summary>
internal sealed class AuthRegistry : IAsyncDisposable
{
    public const string User = "bollard";

    /// <summary>A test credential: the htpasswd line below is its bcrypt hash.</summary>
    public const string Password = "registry-test-password";

    private const string Binary = "/opt/docker-registry/usr/bin/docker-registry";
    private const string Htpasswd = "bollard:$2b$05$lyEWnYlYqlxLfY8TgollN.t.jHXgcq4TEyV2HG71fmu9zdSy7sqKu";

    private readonly Process _process;
    private readonly string _dir;
    private readonly DockerClient _docker = new DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
    private readonly List<string> _localNames = [];

    private AuthRegistry(Process process, string dir, string address) => (_process, _dir, Address) = (process, dir, address);

    public string Address { get; }

    /// <summary>The tag pushed last.</summary>
    public string Tag { get; private set; } = "";

    public static async Task<AuthRegistry> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run scripts/deps.sh registry (scripts/test.sh does)");
        }

        var dir = Directory.CreateTempSubdirectory("bollard-registry-").FullName;
        var address = $"127.0.0.1:{FreePort()}";
        await File.WriteAllTextAsync(Path.Combine(dir, "htpasswd"), Htpasswd + "\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "config.yml"), $$"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {{dir}}/data
            http:
              addr: {{address}}
            auth:
              htpasswd:
                realm: bollard-test
                path: {{dir}}/htpasswd
            """);
        var start = new ProcessStartInfo(Binary, ["serve", Path.Combine(dir, "config.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new AuthRegistry(process, dir, address);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            async () => (await http.GetAsync(new Uri($"http://{address}/v2/"))).StatusCode == HttpStatusCode.Unauthorized,
            $"the registry on {address} to ask for credentials",
            TimeSpan.FromSeconds(20));
        return registry;
    }

    /// <summary>Pushes a local image under this registry's name and a tag of the test's, and returns its digest pin.
    /// The local name is dropped again when the registry stops.</summary>
    public async Task<string> PushAsync(string localImage, string tag)
    {
        var repository = $"{Address}/bollard-auth";
        await _docker.Images.TagImageAsync(localImage, new ImageTagParameters { RepositoryName = repository, Tag = tag });
        _localNames.Add($"{repository}:{tag}");
        string? error = null;
        await _docker.Images.PushImageAsync(
            $"{repository}:{tag}",
            new ImagePushParameters { Tag = tag },
            new AuthConfig { Username = User, Password = Password, ServerAddress = Address },
            new Inline(m => error ??= m.Error?.Message ?? (string.IsNullOrEmpty(m.ErrorMessage) ? null : m.ErrorMessage)));
        Assert.Null(error);
        var pin = (await _docker.Images.InspectImageAsync($"{repository}:{tag}")).RepoDigests.Single(d => d.StartsWith(repository + "@", StringComparison.Ordinal));
        _localNames.Add(pin);
        Tag = tag;
        return pin;
    }

    /// <summary>A docker config file naming this registry with the given password.</summary>
    public string ConfigJson(string password) => JsonSerializer.Serialize(new
    {
        auths = new Dictionary<string, object> { [Address] = new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}")) } },
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _localNames)
        {
            try
            {
                await _docker.Images.DeleteImageAsync(name, new ImageDeleteParameters { NoPrune = true });
            }
            catch (DockerApiException)
            {
                // Already gone.
            }
        }

        _docker.Dispose();
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Inline(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
