using Bollard.Balancer.Weights;

namespace Bollard.Balancer.Tests.Weights;

public sealed class VersionWeightsTests
{
    [Fact]
    public void Weights_are_ordered_by_version_and_compare_by_value()
    {
        var one = new VersionWeights(new Dictionary<string, int> { ["v2"] = 50, ["v1"] = 950 });
        var two = new VersionWeights(new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 });

        Assert.Equal(["v1", "v2"], one.Versions.Select(w => w.Version));
        Assert.Equal(one, two);
        Assert.Equal(50, one.Of("v2"));
        Assert.Equal(0, one.Of("v3"));
    }

    [Theory]
    [InlineData(900, 50)]
    [InlineData(1001, -1)]
    [InlineData(500, 501)]
    public void Weights_that_do_not_sum_to_1000_or_leave_the_range_are_refused(int v1, int v2)
    {
        Assert.Throws<ArgumentException>(() => new VersionWeights(new Dictionary<string, int> { ["v1"] = v1, ["v2"] = v2 }));
    }

    [Fact]
    public void Json_round_trips()
    {
        var weights = VersionWeightsJson.Parse("{\"v1\":950,\"v2\":50}");

        Assert.Equal(weights, VersionWeightsJson.Parse(VersionWeightsJson.Format(weights)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"v1\":500}")]
    [InlineData("null")]
    public void Unreadable_json_is_a_format_exception(string json)
    {
        Assert.Throws<FormatException>(() => VersionWeightsJson.Parse(json));
    }

    [Fact]
    public void In_memory_weights_signal_only_real_changes()
    {
        var weights = new InMemoryVersionWeights();
        Assert.Empty(weights.Current!);

        var token = weights.GetChangeToken();
        weights.Set("web", new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 });
        Assert.True(token.HasChanged);
        Assert.Equal(50, weights.Current!["web"].Of("v2"));

        token = weights.GetChangeToken();
        weights.Set("web", new Dictionary<string, int> { ["v2"] = 50, ["v1"] = 950 });
        weights.Clear("api");
        Assert.False(token.HasChanged);

        weights.Clear("web");
        Assert.True(token.HasChanged);
        Assert.Empty(weights.Current!);
    }
}
