using System.Diagnostics;

namespace Bollard.IntegrationTests.Scripts;

/// <summary>
/// The .NET 10 SDK is the one prerequisite no script installs: the scripts a newcomer runs first say that it is missing
/// (or too old) and how to get it, before they install or start anything.
/// </summary>
public sealed class DotnetPrerequisiteTests : IDisposable
{
    /// <summary>The only directory on the scripts' PATH: the few tools the check itself uses, and no dotnet.</summary>
    private readonly string _bin = Directory.CreateTempSubdirectory("bollard-no-sdk-").FullName;

    public DotnetPrerequisiteTests()
    {
        foreach (var tool in new[] { "dirname", "grep", "cut", "tr" })
        {
            File.CreateSymbolicLink(Path.Combine(_bin, tool), Which(tool));
        }
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Theory]
    [InlineData("scripts/test.sh")]
    [InlineData("scripts/demo.sh")]
    [InlineData("scripts/build-daemon-image.sh")]
    public async Task Without_the_sdk_a_script_says_so_and_how_to_get_it_before_anything_else(string script)
    {
        var (code, output, error) = await RunAsync(script);

        Assert.True(code == 1, $"exit {code}; out: {output}; error: {error}");
        Assert.StartsWith("The .NET 10 SDK is needed and was not found.\n", error, StringComparison.Ordinal);
        Assert.Contains("https://dot.net/v1/dotnet-install.sh", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task An_older_sdk_is_named_as_what_was_found()
    {
        var dotnet = Path.Combine(_bin, "dotnet");
        await File.WriteAllTextAsync(dotnet, "#!/bin/sh\necho '8.0.404 [/usr/share/dotnet/sdk]'\n");
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (code, _, error) = await RunAsync("scripts/test.sh");

        Assert.Equal(1, code);
        Assert.StartsWith("The .NET 10 SDK is needed and was not found (found: 8.0.404).", error, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string script)
    {
        var start = new ProcessStartInfo("/bin/bash", [Path.Combine(TestEnvironment.RepositoryRoot, script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = _bin;
        start.Environment["HOME"] = _bin;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not on PATH");
}
