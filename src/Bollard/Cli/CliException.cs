namespace Bollard.Cli;

/// <summary>A CLI verb failed in a way the message explains; <see cref="ExitCode"/> is what the process exits with.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
