using System.Text;

namespace Bollard.Scaler.State;

/// <summary>
/// The audit log of a single host: JSON lines appended to <c>&lt;stateDir&gt;/audit.jsonl</c> (0600), each flushed to
/// disk before <see cref="AppendAsync"/> returns. Appends in this process are serialized.
/// </summary>
public sealed class LocalAuditLog : IAuditLog, IDisposable
{
    private readonly string _file;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public LocalAuditLog(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        StateDirectory.Create(stateDirectory);
        _file = Path.Combine(stateDirectory, "audit.jsonl");
    }

    public void Dispose() => _writer.Dispose();

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        byte[] line = [.. AuditJson.Serialize(entry), (byte)'\n'];
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var options = StateDirectory.PrivateFileOptions(FileMode.Append);
            await using var stream = new FileStream(_file, options);
            await stream.WriteAsync(line, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw new StateStoreUnavailableException($"cannot append to the audit log {_file}: {e.Message}", e);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string? service, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!File.Exists(_file))
        {
            return [];
        }

        var entries = new List<AuditEntry>();
        await foreach (var line in File.ReadLinesAsync(_file, Encoding.UTF8, cancellationToken))
        {
            if (line.Length > 0 && AuditJson.TryParse(Encoding.UTF8.GetBytes(line)) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return AuditJson.Last(entries, service, limit);
    }
}
