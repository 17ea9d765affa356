using Bollard.Scaler.State;

namespace Bollard.Agent;

/// <summary>
/// One agent per state directory. Two agents sharing one would both reconcile the same containers and overwrite each
/// other's rollout state, so the second one refuses to start. The lock is the kernel's (flock, which .NET takes for
/// <see cref="FileShare.None"/>): it goes away with the process, so a crashed agent never leaves a stale lock behind.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    public const string FileName = "agent.lock";

    private readonly FileStream _file;

    private StateDirectoryLock(FileStream file) => _file = file;

    /// <exception cref="StateStoreUnavailableException">Another agent holds it, or the directory cannot be used.</exception>
    public static StateDirectoryLock Acquire(string stateDirectory)
    {
        StateDirectory.Create(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        FileStream file;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = StateDirectory.PrivateFile;
            }

            file = new FileStream(path, options);
        }
        catch (IOException e)
        {
            throw new StateStoreUnavailableException(
                $"another bollard agent is using the state directory {stateDirectory} (it holds {path}); give each agent its own 'stateDir'", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StateStoreUnavailableException($"cannot open {path}: {e.Message}", e);
        }

        // The holder's pid, for an operator wondering which process it is.
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.WriteLine(Environment.ProcessId);
        }

        file.Flush();
        return new StateDirectoryLock(file);
    }

    public void Dispose() => _file.Dispose();
}
