using System.Globalization;
using System.Text;

namespace Bollard.Scaler.Runtime;

/// <summary>Names a container's exit for people (decisions, status, logs) and for metrics (a small, fixed set of reasons).</summary>
public static class ExitReasons
{
    /// <summary>The metric reason of an exit: one of oom-killed, signal, error, completed.</summary>
    public static string KindOf(ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return exit.OomKilled ? "oom-killed"
            : SignalOf(exit.ExitCode) is not null ? "signal"
            : exit.ExitCode == 0 ? "completed"
            : "error";
    }

    /// <summary>E.g. "exited with code 3 after 0.4 s", "killed by signal 9 (SIGKILL), out of memory (OOM killed)".</summary>
    public static string Describe(ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        var text = new StringBuilder();
        if (SignalOf(exit.ExitCode) is { } signal)
        {
            text.Append(CultureInfo.InvariantCulture, $"killed by signal {signal}");
            if (SignalNames.TryGetValue(signal, out var name))
            {
                text.Append(CultureInfo.InvariantCulture, $" ({name})");
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"exited with code {exit.ExitCode}");
        }

        if (exit.OomKilled)
        {
            text.Append(", out of memory (OOM killed)");
        }

        if (exit.RunFor is { } ran)
        {
            text.Append(CultureInfo.InvariantCulture, $" after {ran.TotalSeconds:0.0} s");
        }

        if (!string.IsNullOrEmpty(exit.Error))
        {
            text.Append(CultureInfo.InvariantCulture, $"; engine: {exit.Error}");
        }

        return text.ToString();
    }

    /// <summary>The exit and its last log line, for a one-line reason: "exited with code 3 after 0.4 s; last log: boom".</summary>
    public static string DescribeWithLastLine(ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        var lines = exit.LogTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? Describe(exit) : $"{Describe(exit)}; last log: {lines[^1]}";
    }

    /// <summary>The signal that ended a process from its exit code as a shell reports it (128 + n), or null.</summary>
    public static int? SignalOf(int exitCode) => exitCode is > 128 and < 160 ? exitCode - 128 : null;

    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
        [9] = "SIGKILL", [11] = "SIGSEGV", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
    };
}
