using Bollard.Balancer;

namespace Bollard.Agent;

/// <summary>
/// The agent config's <c>balancer.retries</c> block: a failed attempt sent again to another replica, within a budget.
/// Each field maps to a <c>BalancerOptions.Retries</c> setting; null keeps the default.
/// </summary>
/// <param name="Max">MaxRetries: retries of one request after its first attempt (0: off).</param>
/// <param name="Budget">BudgetRatio: retries allowed as a share of a service's requests over the last 10 s.</param>
/// <param name="MinPerSecond">MinRetriesPerSecond: retries allowed per second on top of the share.</param>
/// <param name="MaxBufferedBodyBytes">MaxBufferedBodyBytes: idempotent request bodies up to this size are kept for a retry.</param>
/// <param name="MaxBufferedResponseBytes">MaxBufferedResponseBytes: smaller responses are read whole before the client gets them.</param>
public sealed record RetriesConfig(
    int? Max = null,
    double? Budget = null,
    int? MinPerSecond = null,
    int? MaxBufferedBodyBytes = null,
    int? MaxBufferedResponseBytes = null)
{
    public void ApplyTo(BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var retries = options.Retries;
        retries.MaxRetries = Max ?? retries.MaxRetries;
        retries.BudgetRatio = Budget ?? retries.BudgetRatio;
        retries.MinRetriesPerSecond = MinPerSecond ?? retries.MinRetriesPerSecond;
        retries.MaxBufferedBodyBytes = MaxBufferedBodyBytes ?? retries.MaxBufferedBodyBytes;
        retries.MaxBufferedResponseBytes = MaxBufferedResponseBytes ?? retries.MaxBufferedResponseBytes;
    }
}
