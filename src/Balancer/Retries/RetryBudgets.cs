using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bollard.Balancer.Retries;

/// <summary>The retry budget of each service, created on its first request.</summary>
internal sealed class RetryBudgets(IOptions<BalancerOptions> options, TimeProvider time)
{
    private readonly RetryOptions _options = options.Value.Retries;
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    public RetryOptions Options => _options;

    public RetryBudget For(string service) =>
        _budgets.TryGetValue(service, out var budget)
            ? budget
            : _budgets.GetOrAdd(service, static (_, self) => new RetryBudget(self._options.BudgetRatio, self._options.MinRetriesPerSecond, self.Time.TimestampFrequency), this);
}
