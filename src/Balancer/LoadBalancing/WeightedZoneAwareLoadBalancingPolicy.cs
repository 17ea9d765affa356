using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// The default policy of every Bollard cluster, in three steps: the version (pinned, sticky, or by weight), the zone
/// (local while it has capacity, else spill-over), then the replica (weighted least-request, power of two choices, or
/// round robin). The per-cluster <see cref="PickPlan"/> is rebuilt only when YARP hands over a different config or
/// list of available destinations, so a pick is a few random draws and array reads.
/// </summary>
internal sealed class WeightedZoneAwareLoadBalancingPolicy : ILoadBalancingPolicy
{
    public const string PolicyName = "BollardWeightedZoneAware";

    private readonly ConditionalWeakTable<ClusterState, PlanHolder> _plans = [];
    private readonly IRandomSource _random;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BalancerOptions> _options;

    public WeightedZoneAwareLoadBalancingPolicy(IRandomSource random, TimeProvider time, IOptionsMonitor<BalancerOptions> options)
    {
        _random = random;
        _time = time;
        _options = options;
    }

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        var plan = PlanFor(cluster, availableDestinations);
        var group = plan.HasChoice ? ChooseVersion(context, plan) : plan.Unsplit;
        return group.ChooseZone(_random).Pick(_random, _time, plan.Settings);
    }

    private VersionGroup ChooseVersion(HttpContext context, PickPlan plan)
    {
        var headers = context.Request.Headers;
        if (headers.TryGetValue(VersionCookie.PinHeader, out var pinned) && pinned.Count == 1 && plan.Find(pinned[0]) is { } byHeader)
        {
            return byHeader;
        }

        var cookies = headers.Cookie;
        if (cookies.Count > 0 && VersionCookie.TryFind(cookies, VersionCookie.PinCookie, out var version) && plan.Find(version) is { } byCookie)
        {
            return byCookie;
        }

        if (!plan.IsWeighted)
        {
            return plan.Unsplit;
        }

        if (!plan.Settings.StickyVersions)
        {
            return plan.PickWeighted(_random);
        }

        // Sticky only while the version keeps a weight: a rolled-back version must lose its clients.
        if (cookies.Count > 0 && VersionCookie.TryFind(cookies, VersionCookie.StickyCookie, out var sticky) && plan.Find(sticky) is { PerMille: > 0 } kept)
        {
            return kept;
        }

        var picked = plan.PickWeighted(_random);
        if (picked.StickyCookie is { } setCookie)
        {
            // YARP appends the replica's own Set-Cookie headers to these, it does not replace them.
            context.Response.Headers.Append(HeaderNames.SetCookie, setCookie);
        }

        return picked;
    }

    private PickPlan PlanFor(ClusterState cluster, IReadOnlyList<DestinationState> available)
    {
        var holder = _plans.GetValue(cluster, static _ => new PlanHolder());
        var plan = holder.Plan;
        if (plan is not null && ReferenceEquals(plan.Model, cluster.Model) && plan.IsFor(available))
        {
            return plan;
        }

        // The settings as they are now: a change of them (a reload) gives every cluster a new model, so a new plan.
        plan = PickPlan.Build(cluster.Model, available, PickSettings.From(_options.CurrentValue));
        holder.Plan = plan;
        return plan;
    }

    private sealed class PlanHolder
    {
        private volatile PickPlan? _plan;

        public PickPlan? Plan
        {
            get => _plan;
            set => _plan = value;
        }
    }
}
