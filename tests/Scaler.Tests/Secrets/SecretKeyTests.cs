using Bollard.Scaler.Secrets;

namespace Bollard.Scaler.Tests.Secrets;

public sealed class SecretKeyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-key-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_missing_key_is_generated_private_to_its_user_and_read_back_the_same()
    {
        var file = Path.Combine(_directory, "state", SecretKey.DefaultFileName);

        var generated = SecretKey.Load(file, generateIfMissing: true);
        var again = SecretKey.Load(file, generateIfMissing: true);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Equal(generated.Fingerprint, again.Fingerprint);
        Assert.NotEqual(generated.Fingerprint, SecretKey.Ephemeral().Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", generated.Fingerprint);
    }

    [Fact]
    public void A_key_others_may_read_a_configured_file_that_is_missing_and_a_file_without_a_key_are_refused()
    {
        Directory.CreateDirectory(_directory);
        var shared = Path.Combine(_directory, "shared.key");
        File.WriteAllText(shared, Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var readable = Assert.Throws<SecretKeyException>(() => SecretKey.Load(shared, generateIfMissing: false));
        Assert.Contains($"chmod 600 {shared}", readable.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<SecretKeyException>(() => SecretKey.Load(Path.Combine(_directory, "none.key"), generateIfMissing: false));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        var garbage = Path.Combine(_directory, "garbage.key");
        File.WriteAllText(garbage, "not a key");
        File.SetUnixFileMode(garbage, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains("does not hold a key", Assert.Throws<SecretKeyException>(() => SecretKey.Load(garbage, generateIfMissing: false)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copied_key_file_is_the_same_key()
    {
        Directory.CreateDirectory(_directory);
        var first = SecretKey.Load(Path.Combine(_directory, "a.key"), generateIfMissing: true);
        var copy = Path.Combine(_directory, "b.key");
        File.Copy(first.File, copy);

        Assert.Equal(first.Fingerprint, SecretKey.Load(copy, generateIfMissing: false).Fingerprint);
    }
}
