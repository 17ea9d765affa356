using System.Threading.Channels;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Writes how far a pull is into its command's key while the host's agent runs it, so that the controller, which waits
/// on that key, can put it in its decisions. Only the latest reading waits to be written (a slow Consul never holds up
/// the pull). Each write is a check-and-set on the key as just read, so a command its controller gave up on (deleted)
/// is never brought back; afterwards the result must be written at the key's new index (<see cref="Wrote"/>).
/// </summary>
internal sealed class CommandProgressWriter : IProgress<ImagePullProgress>, IAsyncDisposable
{
    private readonly ConsulKeyValueStore _store;
    private readonly string _key;
    private readonly CancellationToken _stopping;
    private readonly Channel<ImagePullProgress> _latest = Channel.CreateBounded<ImagePullProgress>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Task _writing;

    public CommandProgressWriter(ConsulKeyValueStore store, string key, CancellationToken stopping)
    {
        (_store, _key, _stopping) = (store, key, stopping);
        _writing = WriteAsync();
    }

    /// <summary>True once a reading was written: the key's index moved since the command was read.</summary>
    public bool Wrote { get; private set; }

    public void Report(ImagePullProgress value) => _latest.Writer.TryWrite(value);

    public async ValueTask DisposeAsync()
    {
        _latest.Writer.TryComplete();
        await _writing;
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var progress in _latest.Reader.ReadAllAsync(_stopping))
            {
                var entry = await _store.GetAsync(_key, _stopping);
                if (entry is null || ClusterJson.Read<HostCommandEntry>(entry.Value) is not { Result: null } pending)
                {
                    return; // abandoned by its controller
                }

                Wrote |= await _store.TryPutAsync(_key, ClusterJson.Write(pending with { Progress = progress }), entry.ModifyIndex, _stopping);
            }
        }
        catch (CatalogUnavailableException)
        {
            // Progress is for the operator's eyes; the result, written after the pull, is what counts.
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
