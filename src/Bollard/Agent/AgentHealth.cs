using System.Globalization;
using System.Text;
using Bollard.Discovery.Supervision;

namespace Bollard.Agent;

/// <summary>
/// The answer of /healthz: "ok" while every loop of the agent works, "degraded" with each failing loop otherwise. Both
/// are 200: a degraded agent still serves (its balancer keeps the routes it knew) and must not be restarted for a
/// Consul or Docker outage; the detail tells an operator what is failing and since when. JSON when asked for.
/// </summary>
internal static class AgentHealth
{
    public static IResult Answer(HttpRequest request, IReadOnlyList<LoopReport> loops)
    {
        var failing = loops.Where(l => !l.Healthy).ToList();
        var status = failing.Count == 0 ? "ok" : "degraded";
        if (request.Headers.Accept.Any(a => a?.Contains("json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Json(new HealthAnswer(status, loops));
        }

        var text = new StringBuilder().Append(status).Append('\n');
        foreach (var loop in failing)
        {
            text.Append(CultureInfo.InvariantCulture, $"{loop.Name}: {loop.ConsecutiveFailures} failed in a row since {loop.FailingSince:u}: {loop.LastError}\n");
        }

        return TypedResults.Text(text.ToString());
    }

    /// <param name="Status">ok or degraded.</param>
    /// <param name="Loops">Every background loop of the agent.</param>
    internal sealed record HealthAnswer(string Status, IReadOnlyList<LoopReport> Loops);
}
