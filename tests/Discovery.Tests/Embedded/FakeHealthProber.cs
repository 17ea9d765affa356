using System.Collections.Concurrent;
using Bollard.Discovery.Embedded;

namespace Bollard.Discovery.Tests.Embedded;

/// <summary>A prober whose answer per check URL the test sets; it counts probes and can hold one open.</summary>
internal sealed class FakeHealthProber : IHealthProber
{
    private readonly ConcurrentDictionary<Uri, bool> answers = new();

    public int Probes => probes;

    /// <summary>When set, probes wait for it and answer its result instead.</summary>
    public TaskCompletionSource<bool>? Hold { get; set; }

    private int probes;

    public void Answer(Uri url, bool passing) => answers[url] = passing;

    public async Task<bool> ProbeAsync(HealthCheckRegistration check, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref probes);
        if (Hold is { } hold)
        {
            return await hold.Task.WaitAsync(cancellationToken);
        }

        return answers.GetValueOrDefault(check.Url, true);
    }
}
