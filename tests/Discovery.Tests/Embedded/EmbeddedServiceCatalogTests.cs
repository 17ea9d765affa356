using Bollard.Discovery.Embedded;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Discovery.Tests.Embedded;

/// <summary>The embedded catalog's health state machine on virtual time, one check pass at a time.</summary>
public sealed class EmbeddedServiceCatalogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DeregisterAfter = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider time = new();
    private readonly FakeHealthProber prober = new();
    private readonly EmbeddedServiceCatalog catalog;

    public EmbeddedServiceCatalogTests()
    {
        catalog = new EmbeddedServiceCatalog(prober, time, logger: null, startChecks: false);
    }

    [Fact]
    public async Task Initially_passing_registration_is_healthy_before_any_probe()
    {
        await catalog.RegisterAsync(Registration("a"), default);

        Assert.Equal(["a"], await HealthyIdsAsync());
        Assert.Equal(0, prober.Probes);
    }

    [Fact]
    public async Task Registration_not_initially_passing_is_probed_at_once_and_healthy_only_after_it_passes()
    {
        await catalog.RegisterAsync(Registration("a", initiallyPassing: false), default);
        Assert.Empty(await HealthyIdsAsync());

        await catalog.CheckOnceAsync(default);

        Assert.Equal(1, prober.Probes);
        Assert.Equal(["a"], await HealthyIdsAsync());
    }

    [Fact]
    public async Task Checks_are_probed_only_when_their_interval_is_due()
    {
        await catalog.RegisterAsync(Registration("a"), default);

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        await catalog.CheckOnceAsync(default);
        Assert.Equal(0, prober.Probes);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await catalog.CheckOnceAsync(default);
        await catalog.CheckOnceAsync(default);
        Assert.Equal(1, prober.Probes);
    }

    [Fact]
    public async Task One_failed_probe_makes_an_instance_critical_and_one_passing_probe_restores_it()
    {
        var a = Registration("a");
        await catalog.RegisterAsync(a, default);

        prober.Answer(a.Check.Url, passing: false);
        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);
        Assert.Empty(await HealthyIdsAsync());
        Assert.Contains("svc", await catalog.ListServicesAsync(default));

        prober.Answer(a.Check.Url, passing: true);
        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);
        Assert.Equal(["a"], await HealthyIdsAsync());
    }

    [Fact]
    public async Task With_a_failure_threshold_an_instance_stays_routable_until_that_many_failures_in_a_row()
    {
        var plain = Registration("a");
        var a = plain with { Check = plain.Check with { FailuresBeforeCritical = 3 } };
        await catalog.RegisterAsync(a, default);
        prober.Answer(a.Check.Url, passing: false);

        // Two failures, a pass (which resets the count), two failures: never three in a row, always healthy.
        foreach (var passing in new[] { false, false, true, false, false })
        {
            prober.Answer(a.Check.Url, passing);
            time.Advance(Interval);
            await catalog.CheckOnceAsync(default);
            Assert.Equal(["a"], await HealthyIdsAsync());
        }

        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);
        Assert.Empty(await HealthyIdsAsync());

        // Back after one pass, like Consul.
        prober.Answer(a.Check.Url, passing: true);
        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);
        Assert.Equal(["a"], await HealthyIdsAsync());
    }

    [Fact]
    public async Task Instance_critical_for_DeregisterCriticalAfter_is_removed()
    {
        var a = Registration("a");
        await catalog.RegisterAsync(a, default);
        prober.Answer(a.Check.Url, passing: false);
        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);

        time.Advance(DeregisterAfter - TimeSpan.FromSeconds(1));
        await catalog.CheckOnceAsync(default);
        Assert.Contains("svc", await catalog.ListServicesAsync(default));

        time.Advance(TimeSpan.FromSeconds(1));
        await catalog.CheckOnceAsync(default);
        Assert.Empty(await catalog.ListServicesAsync(default));
    }

    [Fact]
    public async Task Instance_that_recovers_before_DeregisterCriticalAfter_stays()
    {
        var a = Registration("a");
        await catalog.RegisterAsync(a, default);
        prober.Answer(a.Check.Url, passing: false);
        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);

        prober.Answer(a.Check.Url, passing: true);
        time.Advance(DeregisterAfter - TimeSpan.FromSeconds(1));
        await catalog.CheckOnceAsync(default);
        time.Advance(TimeSpan.FromMinutes(5));
        await catalog.CheckOnceAsync(default);

        Assert.Equal(["a"], await HealthyIdsAsync());
    }

    [Fact]
    public async Task Result_of_a_probe_for_a_registration_replaced_meanwhile_is_dropped()
    {
        var a = Registration("a");
        await catalog.RegisterAsync(a, default);
        time.Advance(Interval);
        prober.Hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pass = catalog.CheckOnceAsync(default);

        await catalog.RegisterAsync(a with { Version = "v2" }, default);
        prober.Hold.SetResult(false);
        await pass;

        var instance = Assert.Single((await catalog.GetHealthyAsync("svc", default)).Instances);
        Assert.Equal("v2", instance.Version);
    }

    [Fact]
    public async Task Watch_yields_on_health_changes_only()
    {
        var a = Registration("a");
        await catalog.RegisterAsync(a, default);
        using var stop = new CancellationTokenSource();
        var watch = catalog.WatchHealthyAsync("svc", stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Single(watch.Current.Instances);

        var next = watch.MoveNextAsync();
        for (var i = 0; i < 3; i++)
        {
            time.Advance(Interval);
            await catalog.CheckOnceAsync(default);
        }

        Assert.False(next.IsCompleted, "passing probes must not republish an unchanged snapshot");
        prober.Answer(a.Check.Url, passing: false);
        time.Advance(Interval);
        await catalog.CheckOnceAsync(default);

        Assert.True(await next.AsTask().WaitAsync(Eventually.DefaultTimeout));
        Assert.Empty(watch.Current.Instances);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await watch.MoveNextAsync());
    }

    [Fact]
    public async Task Check_loop_runs_by_itself_on_the_time_provider_and_stops_on_dispose()
    {
        var running = new EmbeddedServiceCatalog(prober, time);
        var a = Registration("a");
        prober.Answer(a.Check.Url, passing: false);
        await running.RegisterAsync(a, default);

        // The loop may not be waiting yet when time moves, so each poll moves virtual time on again.
        await Eventually.TrueAsync(
            async () =>
            {
                time.Advance(Interval);
                return (await running.GetHealthyAsync("svc", default)).Instances.IsEmpty;
            },
            "the loop to probe and mark the instance critical");

        await running.DisposeAsync().AsTask().WaitAsync(Eventually.DefaultTimeout);
    }

    private async Task<string[]> HealthyIdsAsync() =>
        [.. (await catalog.GetHealthyAsync("svc", default)).Instances.Select(i => i.Id)];

    private static ServiceRegistration Registration(string id, bool initiallyPassing = true) =>
        new(id, "svc", "10.0.0.1", 8080, "z1", "v1", new HealthCheckRegistration(
            new Uri($"http://127.0.0.1:9/{id}"), Interval, TimeSpan.FromSeconds(1), DeregisterAfter, initiallyPassing));
}
