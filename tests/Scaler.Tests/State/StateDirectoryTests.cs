using Bollard.Scaler.State;

namespace Bollard.Scaler.Tests.State;

/// <summary>The state directory and everything in it are private to the agent's user, also when they existed before.</summary>
public sealed class StateDirectoryTests : IDisposable
{
    private const UnixFileMode GroupOrOther = (UnixFileMode)0b000_111_111;
    private readonly string _parent = Directory.CreateTempSubdirectory("bollard-statedir-").FullName;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public void A_new_directory_is_created_0700()
    {
        var path = Path.Combine(_parent, "state");

        StateDirectory.Create(path);

        Assert.Equal(StateDirectory.PrivateDirectory, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_existing_directory_open_to_others_is_made_private_with_everything_in_it()
    {
        var path = Path.Combine(_parent, "state");
        Directory.CreateDirectory(path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101); // 0755, whatever the umask
        var file = Path.Combine(path, "audit.jsonl");
        File.WriteAllText(file, "{}");
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100); // 0644
        var nested = Path.Combine(path, "old");
        Directory.CreateDirectory(nested);
        File.SetUnixFileMode(nested, (UnixFileMode)0b111_111_111); // 0777
        var deep = Path.Combine(nested, "left.json");
        File.WriteAllText(deep, "{}");
        File.SetUnixFileMode(deep, (UnixFileMode)0b110_110_110); // 0666
        var outside = Path.Combine(_parent, "outside.txt");
        File.WriteAllText(outside, "not the agent's");
        File.SetUnixFileMode(outside, (UnixFileMode)0b110_100_100);
        File.CreateSymbolicLink(Path.Combine(path, "link"), outside);

        StateDirectory.Create(path);

        Assert.Equal(StateDirectory.PrivateDirectory, File.GetUnixFileMode(path));
        Assert.Equal(StateDirectory.PrivateFile, File.GetUnixFileMode(file));
        Assert.Equal(StateDirectory.PrivateDirectory, File.GetUnixFileMode(nested));
        Assert.Equal(StateDirectory.PrivateFile, File.GetUnixFileMode(deep));
        // A link's target is not the agent's to change.
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(outside));
    }

    [Fact]
    public async Task What_the_local_state_store_and_audit_log_write_is_private()
    {
        var path = Path.Combine(_parent, "state");
        using (var store = new LocalStateStore(path))
        {
            Assert.True(await store.TryPutAsync("rollouts/web", "{}"u8.ToArray(), 0, default));
        }

        using var audit = new LocalAuditLog(path);
        await audit.AppendAsync(new AuditEntry(DateTimeOffset.UnixEpoch, "test", "apply", null, "no changes", "ok"), default);

        var open = Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories)
            .Where(e => (File.GetUnixFileMode(e) & GroupOrOther) != 0)
            .ToList();
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(path));
        Assert.Empty(open);
    }
}
