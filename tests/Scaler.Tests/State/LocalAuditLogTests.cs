using Bollard.Scaler.State;

namespace Bollard.Scaler.Tests.State;

public sealed class LocalAuditLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-audit-{Guid.NewGuid():N}");
    private readonly LocalAuditLog _log;

    public LocalAuditLogTests()
    {
        _log = new LocalAuditLog(_directory);
    }

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Entries_are_read_back_oldest_first_filtered_and_limited()
    {
        for (var i = 0; i < 5; i++)
        {
            await _log.AppendAsync(new AuditEntry(T0.AddSeconds(i), "alice", "apply", i % 2 == 0 ? "web" : "api", $"change {i}", "ok"), default);
        }

        Assert.Equal(["change 0", "change 1", "change 2", "change 3", "change 4"], (await _log.ReadAsync(null, 100, default)).Select(e => e.Details));
        Assert.Equal(["change 2", "change 4"], (await _log.ReadAsync("web", 2, default)).Select(e => e.Details));
        Assert.Equal(new AuditEntry(T0.AddSeconds(1), "alice", "apply", "api", "change 1", "ok"), (await _log.ReadAsync("api", 2, default))[0]);
    }

    [Fact]
    public async Task A_torn_last_line_is_skipped_and_appends_go_on()
    {
        await _log.AppendAsync(new AuditEntry(T0, "alice", "apply", null, "first", "ok"), default);
        await File.AppendAllTextAsync(Path.Combine(_directory, "audit.jsonl"), "{\"at\":\"2025-");
        await File.AppendAllTextAsync(Path.Combine(_directory, "audit.jsonl"), "\n");
        await _log.AppendAsync(new AuditEntry(T0, "bob", "apply", null, "second", "ok"), default);

        Assert.Equal(["first", "second"], (await _log.ReadAsync(null, 10, default)).Select(e => e.Details));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_file_is_private_to_its_owner()
    {
        await _log.AppendAsync(new AuditEntry(T0, "alice", "apply", null, "x", "ok"), default);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "audit.jsonl")));
    }
}
