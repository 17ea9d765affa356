using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Hosts;

public sealed class EngineLimitTests
{
    private static readonly EngineLimitOptions Options = new();

    [Fact]
    public void Quick_answers_add_one_permit_per_limit_and_a_slow_one_halves_it()
    {
        var limit = EngineLimit.Start(Options);
        Assert.Equal(4, limit.Permits);

        for (var i = 0; i < 4; i++)
        {
            limit = limit.After(TimeSpan.FromMilliseconds(300), answered: true, Options);
        }

        Assert.Equal(4, limit.Permits); // 4 + 4 x 1/4.x: just under 5
        limit = limit.After(TimeSpan.FromMilliseconds(300), answered: true, Options);
        Assert.Equal(5, limit.Permits);

        Assert.Equal(2, limit.After(TimeSpan.FromSeconds(6), answered: true, Options).Permits);
        Assert.Equal(2, limit.After(TimeSpan.FromSeconds(1), answered: false, Options).Permits);
    }

    [Fact]
    public void The_limit_stays_within_its_bounds_whatever_the_answers()
    {
        var random = new Random(42);
        var limit = EngineLimit.Start(Options);
        for (var i = 0; i < 10_000; i++)
        {
            limit = limit.After(TimeSpan.FromMilliseconds(random.Next(0, 8000)), random.Next(10) > 0, Options);
            Assert.InRange(limit.Permits, Options.Min, Options.Max);
        }
    }

    [Fact]
    public async Task A_burst_runs_at_most_the_limit_at_once_and_a_slowing_engine_gets_fewer()
    {
        var time = new FakeTimeProvider();
        var gate = new EngineGate(Options, time);
        var answers = new List<TaskCompletionSource<int>>();
        var running = 0;
        var most = 0;
        Task<int> Create(CancellationToken ct)
        {
            var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (answers)
            {
                answers.Add(answer);
                most = Math.Max(most, ++running);
            }

            return answer.Task.ContinueWith(t => { lock (answers) { running--; } return t.Result; }, TaskScheduler.Default);
        }

        var burst = Enumerable.Range(0, 20).Select(_ => gate.RunAsync(Create, CancellationToken.None)).ToList();
        Assert.Equal(4, gate.Running);
        Assert.Equal(16, gate.Waiting);

        // The engine slows: answers take 10 s each; every slow answer halves the limit, down to one at a time.
        for (var answered = 0; answered < 20; answered++)
        {
            var index = answered;
            await Eventually.TrueAsync(() => { lock (answers) { return answers.Count > index; } }, $"create {index} admitted");
            time.Advance(TimeSpan.FromSeconds(10));
            lock (answers)
            {
                answers[index].SetResult(index);
            }

            await burst[index];
        }

        Assert.Equal(4, most);
        Assert.Equal(Options.Min, gate.Limit.Permits);
        Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(burst));
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_halves_the_limit_and_the_error_goes_to_the_caller()
    {
        var gate = new EngineGate(Options, new FakeTimeProvider());

        await Assert.ThrowsAsync<RuntimeUnavailableException>(() => gate.RunAsync<int>(_ => throw new RuntimeUnavailableException("did not answer"), CancellationToken.None));

        Assert.Equal(2, gate.Limit.Permits);
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task A_create_cancelled_while_waiting_gives_up_its_turn()
    {
        var gate = new EngineGate(Options with { Initial = 1, Min = 1 }, new FakeTimeProvider());
        var first = new TaskCompletionSource<int>();
        var running = gate.RunAsync(_ => first.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.RunAsync(_ => Task.FromResult(2), cancel.Token);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.SetResult(1);

        Assert.Equal(1, await running);
        Assert.Equal(3, await gate.RunAsync(_ => Task.FromResult(3), CancellationToken.None));
        Assert.Equal(0, gate.Running);
    }
}
