using System.Diagnostics;
using System.Text;

namespace Bollard.IntegrationTests.Cli;

/// <summary>
/// Runs the real `bollard` executable (the one built next to the tests) as a process, as an operator or a script
/// would: its exit code, what it printed, and standard input that is never a terminal. The environment is the test's
/// without any BOLLARD_* variable, plus what a test gives.
/// </summary>
internal static class BollardExecutable
{
    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "bollard");

    public static async Task<BollardRun> RunAsync(
        IEnumerable<string> args,
        string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        string? asUser = null)
    {
        var start = asUser is null
            ? new ProcessStartInfo(FilePath)
            : new ProcessStartInfo("setpriv", ["--reuid", asUser, "--regid", asUser, "--clear-groups", "--", FilePath]);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BOLLARD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {FilePath}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bollard {string.Join(' ', args)} did not exit within {timeout ?? TimeSpan.FromSeconds(60)}; it printed: {await output} {await error}");
        }

        return new BollardRun(process.ExitCode, await output, await error);
    }
}

/// <summary>What one run of the executable did.</summary>
internal sealed record BollardRun(int Code, string Out, string Error)
{
    /// <summary>Asserts that nothing a .NET crash prints reached the operator.</summary>
    public BollardRun WithoutStackTrace()
    {
        var all = new StringBuilder(Out).Append(Error).ToString();
        Assert.DoesNotMatch(@"(?m)^\s+at [\w.<>`]+[.(]", all);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", all, StringComparison.Ordinal);
        return this;
    }

    public override string ToString() => $"exit {Code}; out: {Out}; error: {Error}";
}
