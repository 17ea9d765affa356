using Bollard.Scaler.Placement;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// The pulls the reconciler has under way and those that failed lately, per host and image: a pull runs in the
/// background, once per host and image at a time, and a failed one is not retried on that host before its backoff
/// ends (5 s, doubling, up to the cap), during which that host is left out of the image's placement. Thread-safe: pulls
/// end outside any pass.
/// </summary>
internal sealed class ImagePulls
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);

    // A host's image list may lag its pull (a remote host's report comes up to a publication interval later).
    private static readonly TimeSpan InventoryLag = TimeSpan.FromMinutes(1);

    private readonly HashSet<(string Host, string Image)> _running = [];
    private readonly Dictionary<(string Host, string Image), DateTimeOffset> _pulled = [];
    private readonly Dictionary<(string Host, string Image), (DateTimeOffset Until, int Failures, string Why)> _failed = [];
    private readonly List<Task> _tasks = [];
    private readonly Lock _lock = new();

    /// <summary>Starts tracking a pull; false when one of that image is already under way on that host.</summary>
    public bool TryBegin(string host, string image)
    {
        lock (_lock)
        {
            return _running.Add((host, image));
        }
    }

    public void Track(Task pull)
    {
        lock (_lock)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(pull);
        }
    }

    public Task WhenDoneAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_tasks);
        }
    }

    public void Succeeded(string host, string image, DateTimeOffset now)
    {
        lock (_lock)
        {
            _running.Remove((host, image));
            _failed.Remove((host, image));
            _pulled[(host, image)] = now;
        }
    }

    /// <summary>Records a failed pull; returns how long the host waits before pulling that image again.</summary>
    public TimeSpan Failed(string host, string image, string why, DateTimeOffset now, TimeSpan cap)
    {
        lock (_lock)
        {
            _running.Remove((host, image));
            var failures = _failed.TryGetValue((host, image), out var previous) ? previous.Failures + 1 : 1;
            var wait = TimeSpan.FromTicks(Math.Min(cap.Ticks, FirstRetry.Ticks * (1L << Math.Min(failures - 1, 20))));
            _failed[(host, image)] = (now + wait, failures, why);
            return wait;
        }
    }

    /// <summary>Stops tracking a pull that was cancelled (stopping): neither done nor failed.</summary>
    public void Abandoned(string host, string image)
    {
        lock (_lock)
        {
            _running.Remove((host, image));
        }
    }

    /// <summary>
    /// What the planner needs of a host's images at <paramref name="now"/>: its inventory, with the images just pulled
    /// there until the inventory lists them itself (so a pass right after a pull does not pull again).
    /// </summary>
    public HostImages ViewOf(string host, ImageInventory? inventory, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (inventory is null)
            {
                return HostImages.Unknown;
            }

            List<string>? pulled = null;
            foreach (var ((pulledOn, image), at) in _pulled.Where(p => p.Key.Host == host).ToList())
            {
                if (inventory.Holds(image) || now - at > InventoryLag)
                {
                    _pulled.Remove((pulledOn, image));
                }
                else
                {
                    (pulled ??= []).Add(image);
                }
            }

            if (pulled is not null)
            {
                inventory = new ImageInventory([.. inventory.References, .. pulled]);
            }

            var pulling = _running.Where(r => r.Host == host).Select(r => r.Image).ToHashSet(StringComparer.Ordinal);
            var failed = _failed.Where(f => f.Key.Host == host && f.Value.Until > now).ToDictionary(f => f.Key.Image, f => f.Value.Why, StringComparer.Ordinal);
            return new HostImages(inventory, pulling, failed);
        }
    }
}
