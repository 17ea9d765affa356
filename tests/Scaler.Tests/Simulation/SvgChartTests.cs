using System.Xml.Linq;
using Bollard.Scaler.Simulation;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Simulation;

public sealed class SvgChartTests
{
    [Fact]
    public void The_chart_is_well_formed_svg_with_the_load_and_one_line_per_policy()
    {
        var trace = TraceParser.Parse("t<1>.csv", "0,80\n10,400\n20,400\n30,40\n");
        var spec = new ServiceSpec
        {
            Name = "web",
            Image = "app:v1",
            Port = 8080,
            Source = "a.yaml",
            Replicas = new ReplicaRange(2, 10),
            Autoscaling = new AutoscalingSpec { Metrics = [new MetricTarget(MetricKind.RequestsPerSecond, 50)] },
        };
        var results = new[] { spec, spec with { Source = "b.yaml" } }
            .Select(s => Simulator.Run(s, trace, SimulationSettings.Default, SloTargets.Of(spec.Autoscaling))).ToList();

        var svg = XDocument.Parse(SvgChart.Render(trace, results));

        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["load (requests/s)", "a.yaml: replicas", "b.yaml: replicas"], lines.Select(l => l.Element(ns + "title")!.Value));
        Assert.Contains("t<1>.csv", svg.Descendants(ns + "text").Select(t => t.Value).First(), StringComparison.Ordinal);
        Assert.DoesNotContain("href", svg.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 10)]
    [InlineData(10, 10)]
    [InlineData(130, 200)]
    [InlineData(2100, 2500)]
    public void Axes_end_at_a_round_number(double peak, double axis) =>
        Assert.Equal(axis, SvgChart.NiceCeiling(peak));
}
