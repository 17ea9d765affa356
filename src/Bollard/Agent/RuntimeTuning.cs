namespace Bollard.Agent;

/// <summary>
/// Runtime settings the daemon applies to itself before anything opens a socket, so that an operator gets the tuned
/// data plane without having to know .NET's environment variables. Each one can still be overridden from the
/// environment (the systemd unit or the container), which wins.
/// </summary>
internal static class RuntimeTuning
{
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Whether socket completions run on the epoll thread instead of being queued to the thread pool. A proxy does
    /// little work per completion and on few cores the queue hop costs more than the work itself. Read once, at start.
    /// </summary>
    public static bool InlineSocketCompletions { get; private set; }

    /// <summary>Call first thing in the agent, before any socket exists: the runtime reads the variable once.</summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        InlineSocketCompletions = Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";
    }
}
