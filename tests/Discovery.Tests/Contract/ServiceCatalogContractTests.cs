namespace Bollard.Discovery.Tests.Contract;

/// <summary>
/// What every <see cref="IServiceCatalog"/> must do, run against each adapter by a concrete subclass. A catalog may
/// be eventually consistent (Consul syncs an agent's registrations to its servers), so reads poll with a deadline.
/// Every name starts with <see cref="NamePrefix"/> so runs against a shared catalog do not collide; everything a
/// test registers is deregistered afterwards.
/// </summary>
public abstract class ServiceCatalogContractTests : IAsyncLifetime
{
    private readonly List<string> registered = [];
    private SwitchableHealthEndpoint? healthy;
    private IServiceCatalog? catalog;

    protected IServiceCatalog Catalog => catalog ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Prefix of every service name and instance id this class creates.</summary>
    protected abstract string NamePrefix { get; }

    /// <summary>Check interval of the registrations; Consul does not run checks more often than once a second.</summary>
    protected virtual TimeSpan CheckInterval => TimeSpan.FromMilliseconds(200);

    protected abstract Task<IServiceCatalog> CreateCatalogAsync();

    public async Task InitializeAsync()
    {
        healthy = await SwitchableHealthEndpoint.StartAsync();
        catalog = await CreateCatalogAsync();
    }

    public async Task DisposeAsync()
    {
        if (catalog is not null)
        {
            foreach (var id in registered)
            {
                await catalog.DeregisterAsync(id, CancellationToken.None);
            }

            if (catalog is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        if (healthy is not null)
        {
            await healthy.DisposeAsync();
        }
    }

    [Fact]
    public async Task Registered_instance_is_healthy_with_its_address_port_zone_and_version()
    {
        var registration = NewRegistration(NewServiceName("reg"), zone: "zone-b", version: "v7", port: 9123);
        await RegisterAsync(registration);

        var snapshot = await HealthyWhenAsync(registration.Service, s => s.Instances.Length == 1, "the instance to be healthy");

        Assert.Equal(
            new ServiceInstance(registration.Id, registration.Service, "127.0.0.1", 9123, "zone-b", "v7"),
            Assert.Single(snapshot.Instances));
    }

    [Fact]
    public async Task Deregistered_instance_is_no_longer_healthy_nor_listed()
    {
        var registration = NewRegistration(NewServiceName("dereg"));
        await RegisterAsync(registration);
        await HealthyWhenAsync(registration.Service, s => s.Instances.Length == 1, "the instance to be healthy");

        await Catalog.DeregisterAsync(registration.Id, CancellationToken.None);

        await HealthyWhenAsync(registration.Service, s => s.Instances.IsEmpty, "the instance to be gone");
        await Eventually.TrueAsync(
            async () => !(await Catalog.ListServicesAsync(CancellationToken.None)).Contains(registration.Service),
            "the service to leave the service list");
    }

    [Fact]
    public async Task Deregistering_an_unknown_id_is_not_an_error()
    {
        await Catalog.DeregisterAsync(NewServiceName("never-registered"), CancellationToken.None);
    }

    [Fact]
    public async Task Registering_the_same_id_again_replaces_the_registration()
    {
        var first = NewRegistration(NewServiceName("replace"), version: "v1");
        await RegisterAsync(first);
        await HealthyWhenAsync(first.Service, s => s.Instances is [{ Version: "v1" }], "v1 to be healthy");

        await RegisterAsync(first with { Version = "v2", Port = 9200 });

        var snapshot = await HealthyWhenAsync(first.Service, s => s.Instances is [{ Version: "v2" }], "v2 to replace v1");
        Assert.Equal(9200, Assert.Single(snapshot.Instances).Port);
    }

    [Fact]
    public async Task Listed_services_include_a_registered_service()
    {
        var registration = NewRegistration(NewServiceName("list"));
        await RegisterAsync(registration);

        await Eventually.TrueAsync(
            async () => (await Catalog.ListServicesAsync(CancellationToken.None)).Contains(registration.Service),
            "the service to be listed");
    }

    [Fact]
    public async Task Healthy_instances_of_an_unknown_service_are_empty()
    {
        var snapshot = await Catalog.GetHealthyAsync(NewServiceName("unknown"), CancellationToken.None);

        Assert.Empty(snapshot.Instances);
    }

    [Fact]
    public async Task Watch_yields_the_current_snapshot_then_each_change_and_never_the_same_one_twice()
    {
        var service = NewServiceName("watch");
        var a = NewRegistration(service);
        var b = NewRegistration(service);
        using var stop = new CancellationTokenSource();
        var watch = Catalog.WatchHealthyAsync(service, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            Assert.Empty((await NextAsync(watch, "the current (empty) snapshot")).Instances);

            await RegisterAsync(a);
            Assert.Equal([a.ToInstance()], (await NextAsync(watch, "a snapshot with a")).Instances.ToArray());

            await RegisterAsync(b);
            Assert.Equal(Sorted(a, b), (await NextAsync(watch, "a snapshot with a and b")).Instances.ToArray());

            // Re-registering b unchanged changes nothing a watcher sees; had it been republished, the next value
            // would be the same {a, b} again instead of {b}.
            await RegisterAsync(b);
            await Catalog.DeregisterAsync(a.Id, CancellationToken.None);
            Assert.Equal([b.ToInstance()], (await NextAsync(watch, "a snapshot without a")).Instances.ToArray());
        }
        finally
        {
            // Cancel first: an enumerator cannot be disposed while a MoveNextAsync is still pending.
            await stop.CancelAsync();
            await DisposeWatchAsync(watch);
        }
    }

    [Fact]
    public async Task Instance_whose_check_fails_becomes_unhealthy_and_healthy_again_when_it_passes()
    {
        await using var endpoint = await SwitchableHealthEndpoint.StartAsync();
        var registration = NewRegistration(NewServiceName("flaky"), checkUrl: endpoint.Url);
        await RegisterAsync(registration);
        await HealthyWhenAsync(registration.Service, s => s.Instances.Length == 1, "the instance to be healthy");

        endpoint.Healthy = false;
        await HealthyWhenAsync(registration.Service, s => s.Instances.IsEmpty, "the failing instance to become unhealthy");

        endpoint.Healthy = true;
        await HealthyWhenAsync(registration.Service, s => s.Instances.Length == 1, "the instance to recover");
    }

    [Fact]
    public async Task Instance_not_initially_passing_becomes_healthy_after_its_check_passes()
    {
        var registration = NewRegistration(NewServiceName("initial"), initiallyPassing: false);
        await RegisterAsync(registration);

        await HealthyWhenAsync(registration.Service, s => s.Instances.Length == 1, "the instance to pass its first check");
    }

    protected string NewServiceName(string what) => $"{NamePrefix}-{what}-{Guid.NewGuid().ToString("N")[..8]}";

    protected ServiceRegistration NewRegistration(
        string service,
        Uri? checkUrl = null,
        string zone = "zone-a",
        string version = "v1",
        int port = 8080,
        bool initiallyPassing = true) =>
        new(
            $"{service}-{Guid.NewGuid().ToString("N")[..6]}",
            service,
            "127.0.0.1",
            port,
            zone,
            version,
            new HealthCheckRegistration(
                checkUrl ?? healthy!.Url,
                CheckInterval,
                TimeSpan.FromSeconds(2),
                TimeSpan.FromMinutes(1),
                initiallyPassing));

    protected async Task RegisterAsync(ServiceRegistration registration)
    {
        registered.Add(registration.Id);
        await Catalog.RegisterAsync(registration, CancellationToken.None);
    }

    protected async Task<ServiceSnapshot> HealthyWhenAsync(string service, Func<ServiceSnapshot, bool> accept, string what)
    {
        ServiceSnapshot? last = null;
        await Eventually.TrueAsync(
            async () => accept(last = await Catalog.GetHealthyAsync(service, CancellationToken.None)),
            $"{what} (last seen: {last})");
        return last!;
    }

    private static async Task<ServiceSnapshot> NextAsync(IAsyncEnumerator<ServiceSnapshot> watch, string what)
    {
        Assert.True(await Eventually.WithinAsync(watch.MoveNextAsync().AsTask(), what), "The watch ended.");
        return watch.Current;
    }

    private static async Task DisposeWatchAsync(IAsyncEnumerator<ServiceSnapshot> watch)
    {
        try
        {
            await watch.DisposeAsync();
        }
        catch (NotSupportedException)
        {
            // A MoveNextAsync that timed out is still pending; the test has already failed for that reason.
        }
    }

    private static ServiceInstance[] Sorted(params ServiceRegistration[] registrations) =>
        [.. registrations.Select(r => r.ToInstance()).OrderBy(i => i.Id, StringComparer.Ordinal)];
}
