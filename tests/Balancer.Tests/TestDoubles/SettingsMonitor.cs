using Microsoft.Extensions.Options;

namespace Bollard.Balancer.Tests.TestDoubles;

/// <summary>Settings a test can change while the component under test runs, as a reload of the agent's config does.</summary>
internal sealed class SettingsMonitor<T>(T value) : IOptionsMonitor<T>
{
    private readonly List<Action<T, string?>> _listeners = [];

    public T CurrentValue { get; private set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable OnChange(Action<T, string?> listener)
    {
        _listeners.Add(listener);
        return new Subscription(() => _listeners.Remove(listener));
    }

    /// <summary>Replaces the settings and tells the listeners, as IOptionsMonitor does on a change.</summary>
    public void Set(T next)
    {
        CurrentValue = next;
        foreach (var listener in _listeners.ToList())
        {
            listener(next, Options.DefaultName);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
