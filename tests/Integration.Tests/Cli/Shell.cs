using System.Diagnostics;

namespace Bollard.IntegrationTests.Cli;

/// <summary>Runs a shell script (bounded in time) and returns what it printed.</summary>
internal static class Shell
{
    public static async Task<string> RunAsync(string shell, string script)
    {
        var start = new ProcessStartInfo(shell, ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {shell}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{shell} exited {process.ExitCode}: {await error}");
    }
}
