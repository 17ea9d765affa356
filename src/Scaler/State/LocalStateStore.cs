using System.Buffers.Binary;

namespace Bollard.Scaler.State;

/// <summary>
/// The state store of a single host: one file per key under <c>&lt;stateDir&gt;/state</c>, each holding its version
/// (an 8-byte counter) then the value, so value and version always change together. A write goes to a temp file that
/// is fsynced, then renamed over the old one: a crash leaves the old value or the new one, never a mix. Writers in
/// this process are serialized and wake this process's watchers; one daemon owns a state directory (two processes
/// sharing one are not supported, see StateDirectoryLock).
/// </summary>
public sealed class LocalStateStore : IStateStore, IDisposable
{
    private const string Suffix = ".state";
    private readonly string _directory;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly StateChangeSignal _changed = new();

    public LocalStateStore(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        _directory = Path.Combine(stateDirectory, "state");
        StateDirectory.Create(_directory);
    }

    public void Dispose() => _writer.Dispose();

    public async Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        return await ReadAsync(key, cancellationToken);
    }

    public async Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadAsync(key, cancellationToken);
            if ((current?.Version ?? 0) != expectedVersion)
            {
                return false;
            }

            await WriteAtomicallyAsync(PathOf(key), expectedVersion + 1, value, cancellationToken);
            _changed.Raise();
            return true;
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            File.Delete(PathOf(key));
            _changed.Raise();
        }
        catch (IOException e)
        {
            throw new StateStoreUnavailableException($"cannot delete state '{key}' in {_directory}: {e.Message}", e);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var entries = new List<StateEntry>();
        foreach (var file in Directory.EnumerateFiles(_directory, "*" + Suffix))
        {
            var key = Path.GetFileName(file)[..^Suffix.Length].Replace('~', '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && await ReadAsync(key, cancellationToken) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return [.. entries.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    public IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        return _changed.WatchAsync(ct => ReadAsync(key, ct), cancellationToken);
    }

    // '~' cannot appear in a key, so the flat file name maps back to exactly one key.
    private string PathOf(string key) => Path.Combine(_directory, key.Replace('/', '~') + Suffix);

    private async Task<StateEntry?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException e)
        {
            throw new StateStoreUnavailableException($"cannot read state '{key}' in {_directory}: {e.Message}", e);
        }

        if (bytes.Length < sizeof(ulong))
        {
            throw new StateStoreUnavailableException($"state file {PathOf(key)} is truncated ({bytes.Length} bytes); restore it or remove it");
        }

        return new StateEntry(key, bytes.AsMemory(sizeof(ulong)), BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    private static async Task WriteAtomicallyAsync(string path, ulong version, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var temp = $"{Path.GetDirectoryName(path)}/.{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = StateDirectory.PrivateFileOptions(FileMode.CreateNew);
            await using (var stream = new FileStream(temp, options))
            {
                var header = new byte[sizeof(ulong)];
                BinaryPrimitives.WriteUInt64BigEndian(header, version);
                await stream.WriteAsync(header, cancellationToken);
                await stream.WriteAsync(value, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (IOException e)
        {
            File.Delete(temp);
            throw new StateStoreUnavailableException($"cannot write state file {path}: {e.Message}", e);
        }
    }
}
