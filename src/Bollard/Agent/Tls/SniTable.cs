namespace Bollard.Agent.Tls;

/// <summary>
/// Which of a listener's certificates a client gets for the name it sent (SNI): an exact name first, then a wildcard
/// covering it (<c>*.example.com</c> covers <c>a.example.com</c>, not <c>example.com</c> nor <c>a.b.example.com</c>, as
/// RFC 6125 and browsers have it), else the first certificate (also for a client that sends no name, or an IP address).
/// A name two certificates cover goes to the one listed first. Immutable; case-insensitive.
/// </summary>
internal sealed class SniTable<T>
    where T : class
{
    private readonly Dictionary<string, T> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, T> _wildcards = new(StringComparer.OrdinalIgnoreCase);
    private readonly T _default;

    /// <param name="entries">Each value with the names it answers for, in the configured order (the first is the default).</param>
    public SniTable(IReadOnlyList<(IReadOnlyList<string> Names, T Value)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("a TLS listener needs at least one certificate", nameof(entries));
        }

        _default = entries[0].Value;
        foreach (var (names, value) in entries)
        {
            foreach (var name in names)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal))
                {
                    _wildcards.TryAdd(name[2..], value);
                }
                else
                {
                    _exact.TryAdd(name, value);
                }
            }
        }
    }

    public T Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return _default;
        }

        if (_exact.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcards.TryGetValue(serverName[(dot + 1)..], out var wildcard) ? wildcard : _default;
    }
}
