using Bollard.Scaler.Simulation;

namespace Bollard.Scaler.Tests.Simulation;

public sealed class TraceParserTests
{
    [Fact]
    public void Rows_in_seconds_without_a_header_read_time_rps_p95_and_cpu_in_that_order()
    {
        var trace = TraceParser.Parse("t.csv", "# a comment\n0,10\n\n10,20.5,120,\n20,30,,150\n");

        Assert.Null(trace.Start);
        Assert.Equal([0.0, 10, 20], trace.Points.Select(p => p.At.TotalSeconds));
        Assert.Equal([10, 20.5, 30], trace.Points.Select(p => p.RequestsPerSecond));
        Assert.Equal([null, 120, null], trace.Points.Select(p => p.P95LatencyMs));
        Assert.Equal([null, null, 150], trace.Points.Select(p => p.CpuPercent));
        Assert.Equal([2, 4, 5], trace.Points.Select(p => p.Line));
        Assert.Equal(TimeSpan.FromSeconds(30), trace.Duration); // the last row lasts as long as the one before
    }

    [Fact]
    public void A_header_may_name_the_columns_in_any_order_and_leave_optional_ones_out()
    {
        var trace = TraceParser.Parse("t.csv", "time,cpu,rps\r\n0,80,5\r\n5,90,6\r\n");

        Assert.Equal([5.0, 6], trace.Points.Select(p => p.RequestsPerSecond));
        Assert.Equal([80.0, 90], trace.Points.Select(p => p.CpuPercent));
        Assert.False(trace.HasP95);
    }

    [Fact]
    public void Iso_8601_times_are_offsets_from_the_first_row()
    {
        var trace = TraceParser.Parse("t.csv", "2026-12-07T08:00:00Z,1\n2026-12-07T08:00:10Z,2\n2026-12-07T09:00:20+01:00,3\n");

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero), trace.Start);
        Assert.Equal([0.0, 10, 20], trace.Points.Select(p => p.At.TotalSeconds));
    }

    [Theory]
    [InlineData("0,1\n10,2\n5,3\n", "t.csv:3: time 5s is not after the previous row's 10s (line 2): rows must be sorted by time, each time once")]
    [InlineData("0,1\n0,2\n", "t.csv:2: time 0s is not after the previous row's 0s (line 1): rows must be sorted by time, each time once")]
    [InlineData("0,1\n10,-2\n", "t.csv:2: rps -2 is negative")]
    [InlineData("0,1\n10,2,-5\n", "t.csv:2: p95_ms -5 is negative")]
    [InlineData("0,1\n10,abc\n", "t.csv:2: rps 'abc' is not a number")]
    [InlineData("0,1\n10,NaN\n", "t.csv:2: rps 'NaN' is not a number")]
    [InlineData("0,1\n10,\n", "t.csv:2: rps is empty")]
    [InlineData("0\n", "t.csv:1: expected 2 to 4 columns (time,rps[,p95_ms][,cpu]), got 1")]
    [InlineData("0,1,2,3,4\n", "t.csv:1: expected 2 to 4 columns (time,rps[,p95_ms][,cpu]), got 5")]
    [InlineData("time,rps,mem\n0,1,2\n", "t.csv:1: unknown column 'mem' in the header (columns: time,rps[,p95_ms][,cpu])")]
    [InlineData("time,cpu\n0,1\n", "t.csv:1: the header has no 'rps' column (columns: time,rps[,p95_ms][,cpu])")]
    [InlineData("time,rps,cpu\n0,1\n", "t.csv:2: expected 3 columns as the header says, got 2")]
    [InlineData("yesterday,1\n", "t.csv:1: time 'yesterday' is neither seconds from the start nor an ISO 8601 time (e.g. 2026-12-07T08:00:00Z)")]
    [InlineData("-1,1\n", "t.csv:1: time '-1' must be seconds from the start, 0 or more")]
    [InlineData("2026-12-07T08:00:00Z,1\n10,2\n", "t.csv:2: time '10' is in seconds but earlier rows use ISO 8601 times: use one form throughout")]
    [InlineData("2026-12-07T08:00:10Z,1\n2026-12-07T08:00:00Z,2\n", "t.csv:2: time '2026-12-07T08:00:00Z' is before the first row's 2026-12-07T08:00:10.0000000Z: rows must be sorted by time")]
    [InlineData("", "t.csv: no data rows (expected CSV lines time,rps[,p95_ms][,cpu])")]
    [InlineData("time,rps\n# nothing\n", "t.csv: no data rows (expected CSV lines time,rps[,p95_ms][,cpu])")]
    [InlineData("\n5,1\n", "t.csv:2: only one row: a trace needs at least two, so that its rows have a duration")]
    public void A_bad_trace_is_refused_with_the_file_and_line_of_the_problem(string text, string expected)
    {
        var error = Assert.Throws<TraceFormatException>(() => TraceParser.Parse("t.csv", text));

        Assert.Equal([expected], error.Problems);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var error = Assert.Throws<TraceFormatException>(() => TraceParser.Parse("t.csv", "0,1\n10,-1\n20,x\n30,3\n"));

        Assert.Equal(["t.csv:2: rps -1 is negative", "t.csv:3: rps 'x' is not a number"], error.Problems);
        Assert.Equal("t.csv:2: rps -1 is negative" + Environment.NewLine + "t.csv:3: rps 'x' is not a number", error.Message);
    }

    [Fact]
    public void The_number_of_problems_reported_is_bounded()
    {
        var text = "0,1\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"{i},-1\n"));

        var error = Assert.Throws<TraceFormatException>(() => TraceParser.Parse("t.csv", text));

        Assert.Equal(TraceParser.MaxProblems, error.Problems.Count);
    }
}
