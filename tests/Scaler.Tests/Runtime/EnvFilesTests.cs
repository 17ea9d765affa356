using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Runtime;

public sealed class EnvFilesTests
{
    [Fact]
    public void Reads_name_value_lines_literally_and_skips_comments_and_blank_lines()
    {
        var values = EnvFiles.Parse("web.env", "# database\nDB_PASSWORD=a=b c \"quoted\"\r\n\n  export_ok=1\nEMPTY=\n");

        Assert.Equal(
            [("DB_PASSWORD", "a=b c \"quoted\""), ("EMPTY", ""), ("export_ok", "1")],
            values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)));
    }

    [Theory]
    [InlineData("JUST_A_NAME\n", 1)]
    [InlineData("OK=1\nexport A=1\n", 2)]
    [InlineData("OK=1\n\n=value\n", 3)]
    public void A_malformed_line_is_named_by_number_and_never_quoted(string text, int line)
    {
        var error = Assert.Throws<ContainerOperationException>(() => EnvFiles.Parse("/etc/web.env", text));

        Assert.Contains($"env file /etc/web.env, line {line}:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("value", error.Message.Replace("NAME=value", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named_with_its_host_and_later_files_win()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"bollard-envfiles-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var (a, b) = (Path.Combine(directory, "a.env"), Path.Combine(directory, "b.env"));
            File.WriteAllText(a, "X=1\nY=1\n");
            File.WriteAllText(b, "Y=2\n");

            Assert.Equal([("X", "1"), ("Y", "2")], EnvFiles.Read([a, b], "h1").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)));
            var missing = Assert.Throws<ContainerOperationException>(() => EnvFiles.Read([Path.Combine(directory, "none.env")], "h1"));
            Assert.Contains("does not exist on host h1", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
