namespace Bollard.Scaler.Runtime;

/// <summary>
/// How a stopped container ended, as its engine saw it: what an operator needs to tell a crash from a kill. Read on the
/// container's own host (its log and environment never leave it unmasked) and carried with the container's observation.
/// </summary>
/// <param name="ExitCode">The process's exit code; 128 + n when signal n ended it.</param>
/// <param name="OomKilled">The kernel killed it for exceeding its memory limit.</param>
/// <param name="RunFor">How long it ran (start to exit); null when the engine did not say.</param>
/// <param name="Error">The engine's own error for it (e.g. the executable was not found); null when none.</param>
/// <param name="LogTail">Its last log lines (stdout and stderr), bounded by <see cref="ExitLogTail"/> and with the
/// values of its environment masked; empty when it wrote nothing.</param>
public sealed record ContainerExit(int ExitCode, bool OomKilled, TimeSpan? RunFor, string? Error, string LogTail);
