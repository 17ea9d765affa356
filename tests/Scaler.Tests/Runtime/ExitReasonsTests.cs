using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Runtime;

public sealed class ExitReasonsTests
{
    [Theory]
    [InlineData(1, false, "error", "exited with code 1 after 2.0 s")]
    [InlineData(0, false, "completed", "exited with code 0 after 2.0 s")]
    [InlineData(137, false, "signal", "killed by signal 9 (SIGKILL) after 2.0 s")]
    [InlineData(139, false, "signal", "killed by signal 11 (SIGSEGV) after 2.0 s")]
    [InlineData(137, true, "oom-killed", "killed by signal 9 (SIGKILL), out of memory (OOM killed) after 2.0 s")]
    public void An_exit_is_named_for_people_and_for_metrics(int code, bool oom, string kind, string description)
    {
        var exit = new ContainerExit(code, oom, TimeSpan.FromSeconds(2), null, "");

        Assert.Equal(kind, ExitReasons.KindOf(exit));
        Assert.Equal(description, ExitReasons.Describe(exit));
    }

    [Fact]
    public void The_one_line_form_ends_with_the_last_log_line_and_names_the_engine_error()
    {
        var exit = new ContainerExit(127, false, null, "exec: \"/app\": not found", "line one\nline two\n");

        Assert.Equal("exited with code 127; engine: exec: \"/app\": not found; last log: line two", ExitReasons.DescribeWithLastLine(exit));
    }

    [Fact]
    public void The_log_tail_keeps_the_last_twenty_lines()
    {
        var log = string.Join('\n', Enumerable.Range(1, 50).Select(i => $"line {i}")) + "\n\n";

        var tail = ExitLogTail.Of(log, []).Split('\n');

        Assert.Equal(ExitLogTail.MaxLines, tail.Length);
        Assert.Equal("line 31", tail[0]);
        Assert.Equal("line 50", tail[^1]);
    }

    [Fact]
    public void The_log_tail_is_bounded_in_characters_keeping_the_end()
    {
        var tail = ExitLogTail.Of(new string('x', 10_000) + "\nthe end", []);

        Assert.Equal(ExitLogTail.MaxChars, tail.Length);
        Assert.EndsWith("\nthe end", tail, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_values_are_masked_before_the_cut_and_short_values_are_left_alone()
    {
        var tail = ExitLogTail.Of("connecting with password=hunter22-secret to db\nflag=1 token=hunter22", ["hunter22-secret", "hunter22", "1"]);

        Assert.Equal("connecting with password=*** to db\nflag=1 token=***", tail);
    }
}
