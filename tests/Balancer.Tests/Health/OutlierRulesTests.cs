using Bollard.Balancer.Health;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Tests.Health;

public sealed class OutlierRulesTests
{
    private static readonly OutlierDetectionOptions Options = new()
    {
        ConsecutiveFailures = 3,
        BaseEjectionTime = TimeSpan.FromSeconds(10),
        MaxEjectionTime = TimeSpan.FromSeconds(45),
        MaxEjectedShare = 0.5,
    };

    [Theory]
    [InlineData(200, ForwarderError.None, false, "Success")]
    [InlineData(404, ForwarderError.None, false, "Success")]
    [InlineData(500, ForwarderError.None, false, "Failure")]
    [InlineData(503, ForwarderError.None, false, "Failure")]
    [InlineData(502, ForwarderError.Request, false, "Failure")]
    [InlineData(504, ForwarderError.RequestTimedOut, false, "Failure")]
    [InlineData(502, ForwarderError.ResponseBodyDestination, false, "Failure")]
    // Client cancellations never count, whatever the forwarder made of them.
    [InlineData(502, ForwarderError.Request, true, "Ignore")]
    [InlineData(500, ForwarderError.None, true, "Ignore")]
    [InlineData(400, ForwarderError.RequestCanceled, false, "Ignore")]
    [InlineData(400, ForwarderError.RequestBodyClient, false, "Ignore")]
    [InlineData(200, ForwarderError.ResponseBodyClient, false, "Ignore")]
    [InlineData(503, ForwarderError.NoAvailableDestinations, false, "Ignore")]
    public void Requests_are_classified(int status, ForwarderError error, bool clientAborted, string expected) =>
        Assert.Equal(Enum.Parse<OutlierSignal>(expected), OutlierRules.Classify(status, error, clientAborted));

    [Fact]
    public void Below_the_threshold_nothing_is_ejected()
    {
        var decision = OutlierRules.Decide(2, 0, null, 10, 0, Options);
        Assert.False(decision.Eject);
    }

    [Fact]
    public void Ejections_grow_with_each_repeat_up_to_the_maximum()
    {
        var durations = new List<TimeSpan>();
        var ejections = 0;
        for (var i = 0; i < 6; i++)
        {
            var decision = OutlierRules.Decide(3, ejections, TimeSpan.FromSeconds(20), 10, 0, Options);
            Assert.True(decision.Eject);
            ejections = decision.Ejections;
            durations.Add(decision.Duration);
        }

        Assert.Equal([10, 20, 30, 40, 45, 45], durations.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Past_ejections_are_forgiven_after_a_quiet_spell()
    {
        // Third ejection lasted 30 s; forgiven 30 s + MaxEjectionTime (45 s) after it started.
        Assert.Equal(3, OutlierRules.Decayed(3, TimeSpan.FromSeconds(74), Options));
        Assert.Equal(0, OutlierRules.Decayed(3, TimeSpan.FromSeconds(75), Options));
        Assert.Equal(1, OutlierRules.Decide(3, 3, TimeSpan.FromSeconds(75), 10, 0, Options).Ejections);
    }

    [Theory]
    [InlineData(1, 0, false)]
    [InlineData(2, 0, true)]
    [InlineData(2, 1, false)]
    [InlineData(3, 0, true)]
    [InlineData(3, 1, false)]
    [InlineData(10, 4, true)]
    [InlineData(10, 5, false)]
    public void The_cap_keeps_at_most_half_of_the_replicas_ejected(int replicas, int ejected, bool allowed)
    {
        Assert.Equal(allowed, OutlierRules.CapAllows(replicas, ejected, 0.5));
        Assert.Equal(allowed, OutlierRules.Decide(3, 0, null, replicas, ejected, Options).Eject);
    }

    [Fact]
    public void Whatever_fails_and_recovers_the_ejected_share_never_exceeds_the_cap()
    {
        // Property: random failure storms over random pools, with ejections expiring on virtual time.
        var random = new Random(1234);
        for (var round = 0; round < 200; round++)
        {
            var replicas = random.Next(1, 12);
            var share = random.Next(0, 11) / 10.0;
            var options = new OutlierDetectionOptions { ConsecutiveFailures = 1, MaxEjectedShare = share };
            var ejectedUntil = new TimeSpan?[replicas];
            var now = TimeSpan.Zero;
            for (var step = 0; step < 300; step++)
            {
                now += TimeSpan.FromSeconds(random.Next(0, 4));
                for (var i = 0; i < replicas; i++)
                {
                    if (ejectedUntil[i] <= now)
                    {
                        ejectedUntil[i] = null;
                    }
                }

                var victim = random.Next(replicas);
                if (ejectedUntil[victim] is not null)
                {
                    continue;
                }

                var ejectedNow = ejectedUntil.Count(e => e is not null);
                var decision = OutlierRules.Decide(1, 0, null, replicas, ejectedNow, options);
                if (decision.Eject)
                {
                    ejectedUntil[victim] = now + decision.Duration;
                }

                Assert.True(ejectedUntil.Count(e => e is not null) <= Math.Floor(replicas * share), $"round {round} step {step}");
            }
        }
    }
}
