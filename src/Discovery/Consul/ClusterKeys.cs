namespace Bollard.Discovery.Consul;

/// <summary>
/// The one place that spells where Bollard keeps things in Consul KV, all under <c>bollard/&lt;cluster&gt;/</c>:
/// <c>state/</c> (the desired state, rollout records and decisions of the state store), <c>audit/</c> (the audit log),
/// <c>weights/&lt;service&gt;</c> (version weights the balancers follow),
/// <c>leader</c> (the controller lock), <c>hosts/&lt;host&gt;</c> (each host's report, held by its agent's session) and
/// <c>commands/&lt;host&gt;/&lt;id&gt;</c> (what the controller asks a host's agent to do, and its answer) and
/// <c>traffic/&lt;agent&gt;</c> (the load each agent's balancer sees, held by its session) and
/// <c>requests/&lt;id&gt;</c> (a rollout command sent through an agent that is not the controller, with the
/// controller's answer; held by the sender's session).
/// </summary>
public static class ClusterKeys
{
    /// <summary>Everything of one cluster, e.g. for a test to delete what it wrote.</summary>
    public static string ClusterPrefix(string cluster) => Root(cluster);

    public static string StatePrefix(string cluster) => $"{Root(cluster)}state/";

    public static string AuditPrefix(string cluster) => $"{Root(cluster)}audit/";

    public static string WeightsPrefix(string cluster) => $"{Root(cluster)}weights/";

    public static string Weights(string cluster, string service) => WeightsPrefix(cluster) + service;

    public static string Leader(string cluster) => $"{Root(cluster)}leader";

    public static string HostsPrefix(string cluster) => $"{Root(cluster)}hosts/";

    public static string Host(string cluster, string host) => HostsPrefix(cluster) + host;

    /// <summary>With the trailing '/': a host named "h1" must not see the commands of "h10".</summary>
    public static string CommandsPrefix(string cluster, string host) => $"{Root(cluster)}commands/{host}/";

    public static string Command(string cluster, string host, string id) => CommandsPrefix(cluster, host) + id;

    public static string TrafficPrefix(string cluster) => $"{Root(cluster)}traffic/";

    /// <summary>Agent names may hold '/' (host/instance): escaped, so that each agent has one key directly under the prefix.</summary>
    public static string Traffic(string cluster, string agent) => TrafficPrefix(cluster) + Uri.EscapeDataString(agent);

    public static string RequestsPrefix(string cluster) => $"{Root(cluster)}requests/";

    public static string Request(string cluster, string id) => RequestsPrefix(cluster) + id;

    /// <summary>The host a key under <see cref="HostsPrefix"/> is about; null for anything else.</summary>
    public static string? HostOf(string cluster, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prefix = HostsPrefix(cluster);
        return key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length && !key.AsSpan(prefix.Length).Contains('/')
            ? key[prefix.Length..]
            : null;
    }

    private static string Root(string cluster) => $"bollard/{cluster}/";
}
