using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bollard.Cli;

namespace Bollard.IntegrationTests.Cli;

/// <summary>`bollard agent` as systemd runs it: --check, the exit code of a configuration error, the log settings.</summary>
public sealed class CliAgentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-agent-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Check_validates_the_config_and_its_specs_offline()
    {
        var config = Path.Combine(TestEnvironment.RepositoryRoot, "examples", "demo", "agent.yaml");

        var run = (await BollardExecutable.RunAsync(["agent", "--check", "--config", config])).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Ok, run.ToString());
        Assert.Contains($"{config}: valid (cluster demo", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 valid service spec(s): web (replicas 3..9)", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent.yaml", "zone: a\nlisten: nowhere\nservices: services\n", "agent.yaml:2:9: listen: must be an IP address and port")]
    [InlineData("agent.yaml", "zone: a\nservces: services\n", "servces: unknown field; did you mean 'services'?")]
    [InlineData("services/web.yaml", "name: web\nimage: x:1\nport: 0\n", "web.yaml:3:7: port: must be a whole number from 1 to 65535")]
    public async Task A_configuration_error_exits_78_with_check_and_without(string file, string text, string expected)
    {
        var config = WriteConfig("zone: a\nservices: services\n");
        Write(file, text);

        var check = (await BollardExecutable.RunAsync(["agent", "--check", "--config", config])).WithoutStackTrace();
        var start = (await BollardExecutable.RunAsync(["agent", "--config", config])).WithoutStackTrace();

        Assert.True(check.Code == CommandLine.ConfigError, check.ToString());
        Assert.Contains(expected, check.Error, StringComparison.Ordinal);
        Assert.True(start.Code == CommandLine.ConfigError, start.ToString());
        Assert.Contains("cannot start:", start.Error, StringComparison.Ordinal);
        Assert.Contains(expected, start.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_exits_78()
    {
        var run = (await BollardExecutable.RunAsync(["agent", "--config", Path.Combine(_directory, "nope.yaml")])).WithoutStackTrace();

        Assert.Equal(CommandLine.ConfigError, run.Code);
        Assert.Contains("nope.yaml: config file not found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_format_json_writes_one_json_object_a_line_at_the_level_asked()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "services"));
        var config = WriteConfig($"""
            cluster: {TestEnvironment.UniqueName("log")}
            zone: zone-a
            listen: 127.0.0.1:{FreePort()}
            admin: 127.0.0.1:{FreePort()}
            stateDir: state
            services: services
            docker: {"{"}endpoint: "{TestEnvironment.DockerEndpoint}"{"}"}
            log: {"{"}level: debug, format: json{"}"}
            """);
        var start = new ProcessStartInfo(BollardExecutable.FilePath, ["agent", "--config", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var agent = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            // Reads lines until a debug one arrives (the agent logs at debug as it reconciles), bounded in time.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!lines.Any(l => l.Contains("\"LogLevel\":\"Debug\"", StringComparison.Ordinal)) && await agent.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
            }
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync();
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.Contains(lines, l => l.Contains("\"LogLevel\":\"Debug\"", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(JsonDocument.Parse(l).RootElement.TryGetProperty("Category", out _), l));
    }

    private string WriteConfig(string text) => Write("agent.yaml", text);

    private string Write(string file, string text)
    {
        var path = Path.Combine(_directory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
