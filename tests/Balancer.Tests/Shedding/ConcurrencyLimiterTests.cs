using Bollard.Balancer.Shedding;

namespace Bollard.Balancer.Tests.Shedding;

public sealed class ConcurrencyLimiterTests
{
    [Fact]
    public void Requests_above_the_limit_are_refused_at_once_and_a_slot_frees_on_exit()
    {
        var limiter = new ConcurrencyLimiter(2);
        Assert.True(limiter.TryEnter());
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
        Assert.Equal(2, limiter.Current);

        limiter.Exit();
        Assert.True(limiter.TryEnter());

        limiter.Limit = 5;
        Assert.True(limiter.TryEnter());
        Assert.Equal(3, limiter.Current);
    }

    [Fact]
    public void Concurrent_callers_never_exceed_the_limit()
    {
        var limiter = new ConcurrencyLimiter(4);
        var inside = 0;
        var most = 0;
        Parallel.For(0, 20_000, _ =>
        {
            if (!limiter.TryEnter())
            {
                return;
            }

            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            Interlocked.Decrement(ref inside);
            limiter.Exit();
        });

        Assert.InRange(most, 1, 4);
        Assert.Equal(0, limiter.Current);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
