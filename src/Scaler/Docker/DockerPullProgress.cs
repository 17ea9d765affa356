using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>
/// Follows the engine's pull stream (one JSON message per layer event) and keeps what it says: each layer's state and
/// bytes, and the first error. Called on the stream's read loop: once per <paramref name="interval"/> it hands a
/// <see cref="Snapshot"/> to <paramref name="onInterval"/>, which must return at once.
/// </summary>
internal sealed class DockerPullProgress(TimeProvider time, TimeSpan interval, Action<ImagePullProgress> onInterval) : IProgress<JSONMessage>
{
    private readonly Dictionary<string, Layer> _layers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _lastReport = time.GetTimestamp();

    /// <summary>The error the stream ended with (the engine answers 200 and then reports a failure in the stream).</summary>
    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Count(value);
        if (Due())
        {
            onInterval(Snapshot());
        }
    }

    private void Count(JSONMessage value)
    {
        lock (_lock)
        {
            if (value.Error?.Message is { Length: > 0 } error)
            {
                Error ??= error;
                return;
            }

            if (value.ErrorMessage is { Length: > 0 } message)
            {
                Error ??= message;
                return;
            }

            if (string.IsNullOrEmpty(value.ID) || value.Status is not { } status || StateOf(status) is not { } state)
            {
                return; // "Pulling from repo", "Digest: ...", "Status: ...": not a layer
            }

            var layer = _layers.GetValueOrDefault(value.ID) ?? new Layer();
            layer.State = (LayerState)Math.Max((int)layer.State, (int)state);
            if (state == LayerState.Downloading && value.Progress is { } progress)
            {
                layer.Downloaded = Math.Max(layer.Downloaded, progress.Current);
                layer.Size = Math.Max(layer.Size, progress.Total);
            }

            if (state == LayerState.Downloaded && layer.Size > 0)
            {
                layer.Downloaded = layer.Size;
            }

            _layers[value.ID] = layer;
        }
    }

    private bool Due()
    {
        lock (_lock)
        {
            if (time.GetElapsedTime(_lastReport) < interval)
            {
                return false;
            }

            _lastReport = time.GetTimestamp();
            return true;
        }
    }

    public ImagePullProgress Snapshot()
    {
        lock (_lock)
        {
            return new ImagePullProgress(
                _layers.Count,
                _layers.Values.Count(l => l.State >= LayerState.Done),
                _layers.Values.Sum(l => l.Downloaded),
                _layers.Values.Sum(l => l.Size));
        }
    }

    /// <summary>Layers the engine had to download (not "Already exists").</summary>
    public int LayersDownloaded()
    {
        lock (_lock)
        {
            return _layers.Values.Count(l => l.State != LayerState.Existed);
        }
    }

    private static LayerState? StateOf(string status) => status switch
    {
        "Pulling fs layer" or "Waiting" => LayerState.Waiting,
        "Downloading" => LayerState.Downloading,
        "Verifying Checksum" or "Download complete" or "Extracting" => LayerState.Downloaded,
        "Pull complete" => LayerState.Done,
        "Already exists" => LayerState.Existed,
        _ => null,
    };

    private enum LayerState
    {
        Waiting,
        Downloading,
        Downloaded,
        Done,
        Existed,
    }

    private sealed class Layer
    {
        public LayerState State { get; set; }

        public long Downloaded { get; set; }

        public long Size { get; set; }
    }
}
