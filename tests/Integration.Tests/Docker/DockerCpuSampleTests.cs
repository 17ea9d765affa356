using Bollard.Scaler.Runtime;
using Bollard.Scaler.Traffic;
using Xunit.Abstractions;

namespace Bollard.IntegrationTests.Docker;

/// <summary>CPU samples from the real engine: a replica busy-spinning on requests reads clearly above an idle one.</summary>
public sealed class DockerCpuSampleTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Each request of the busy replica spins this long (the sample app's CPU_MS).</summary>
    private const string CpuMsPerRequest = "20";

    /// <summary>Requests per burst, sent this many at a time: under two seconds of spinning in all, bounded.</summary>
    private const int BurstRequests = 80;

    private const int BurstConcurrency = 8;

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private DockerTestEngine engine = null!;

    public async Task InitializeAsync() => engine = await DockerTestEngine.StartAsync();

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        http.Dispose();
    }

    [Fact]
    public async Task A_replica_under_cpu_bound_requests_samples_clearly_above_an_idle_one()
    {
        var busyRequest = engine.SampleRequest(service: "busy");
        var busy = await engine.Runtime.CreateAndStartAsync(
            busyRequest with { Environment = busyRequest.Environment.Add("CPU_MS", CpuMsPerRequest) },
            CancellationToken.None);
        var idle = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(service: "idle"), CancellationToken.None);
        foreach (var replica in new[] { busy, idle })
        {
            await Eventually.TrueAsync(
                async () => await SampleReply.GetAsync(http, replica.HostAddress, replica.HostPort!.Value) is not null,
                $"replica {replica.Name} to answer");
        }

        // One measurement: both replicas sampled around one bounded burst at the busy one. Polled, because a slow
        // machine may need a second burst before the busy replica's share stands out.
        var (busyPercent, idlePercent) = await Eventually.ValueAsync(
            async () =>
            {
                var busyBefore = await SampleAsync(busy);
                var idleBefore = await SampleAsync(idle);
                await BurstAsync(busy);
                var busyAfter = await SampleAsync(busy);
                var idleAfter = await SampleAsync(idle);
                return (CpuUsage.PercentOfOneCore(busyBefore, busyAfter) ?? 0, CpuUsage.PercentOfOneCore(idleBefore, idleAfter) ?? 0);
            },
            r => r.Item1 > 15 && r.Item1 > r.Item2 + 10,
            "the busy replica's CPU to read clearly above the idle one's");

        output.WriteLine($"busy {busyPercent:0.0}%, idle {idlePercent:0.0}% of one core");

        // The busy replica is limited to half a core (SampleRequest); allow for the engine's rounding.
        Assert.InRange(busyPercent, 15, 60);
        Assert.InRange(idlePercent, 0, busyPercent - 10);
    }

    [Fact]
    public async Task A_stopped_or_removed_container_has_no_sample()
    {
        var started = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(), CancellationToken.None);
        Assert.NotNull(await engine.Runtime.SampleCpuAsync(started.Id, CancellationToken.None));

        await engine.Runtime.StopAsync(started.Id, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Null(await engine.Runtime.SampleCpuAsync(started.Id, CancellationToken.None));

        await engine.Runtime.RemoveAsync(started.Id, CancellationToken.None);
        Assert.Null(await engine.Runtime.SampleCpuAsync(started.Id, CancellationToken.None));
    }

    private async Task<ContainerCpuSample> SampleAsync(ObservedContainer replica) =>
        await engine.Runtime.SampleCpuAsync(replica.Id, CancellationToken.None)
        ?? throw new InvalidOperationException($"no CPU sample of running replica {replica.Name}");

    private async Task BurstAsync(ObservedContainer replica)
    {
        var uri = new Uri($"http://{replica.HostAddress}:{replica.HostPort}/work");
        await Parallel.ForAsync(0, BurstRequests, new ParallelOptions { MaxDegreeOfParallelism = BurstConcurrency }, async (_, ct) =>
        {
            using var response = await http.GetAsync(uri, ct);
            response.EnsureSuccessStatusCode();
        });
    }
}
