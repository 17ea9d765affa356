using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bollard.Balancer.Retries;

/// <summary>
/// The retry budget of each service, created on its first request. When the balancer's settings change (a reload),
/// the retry settings are read again and every service starts a new budget with them.
/// </summary>
internal sealed class RetryBudgets : IDisposable
{
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;
    private volatile RetryOptions _options;

    public RetryBudgets(IOptionsMonitor<BalancerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Time = time;
        _options = options.CurrentValue.Retries;
        _subscription = options.OnChange(changed =>
        {
            _options = changed.Retries;
            _budgets.Clear();
        });
    }

    public TimeProvider Time { get; }

    /// <summary>The retry settings now.</summary>
    public RetryOptions Options => _options;

    public RetryBudget For(string service) =>
        _budgets.TryGetValue(service, out var budget)
            ? budget
            : _budgets.GetOrAdd(service, static (_, self) => new RetryBudget(self._options.BudgetRatio, self._options.MinRetriesPerSecond, self.Time.TimestampFrequency), this);

    public void Dispose() => _subscription?.Dispose();
}
