using System.Diagnostics;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>Runs curl (bounded in time) and openssl, as an operator checks a proxy from the shell.</summary>
internal static class Curl
{
    /// <summary>curl ARGS...; its exit code, what it printed on stdout and on stderr.</summary>
    public static Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunToolAsync("curl", ["--silent", "--show-error", "--max-time", "20", "--noproxy", "*", .. arguments]);

    public static async Task<(int Exit, string Output, string Error)> RunToolAsync(string tool, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish in 30 s");
        }

        return (process.ExitCode, await output, await error);
    }
}
