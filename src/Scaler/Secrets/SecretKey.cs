using System.Security.Cryptography;
using System.Text;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// The key that keeps environment values secret: 32 random bytes, base64 in a file only the agent's user may read
/// (generated once, 0600, into the state directory unless <c>secrets.keyFile</c> names one). Two keys are derived
/// from it: one seals values at rest and in commands (AES-256-GCM), one digests them into the version id
/// (HMAC-SHA256). Every agent of a cluster holds the same key (a copy of the first agent's file); the state store
/// records its <see cref="Fingerprint"/> so that an agent with another key refuses to start (see README.md here).
/// </summary>
public sealed class SecretKey
{
    public const string DefaultFileName = "secrets.key";
    private const int KeyBytes = 32;

    private SecretKey(ReadOnlySpan<byte> key, string file)
    {
        File = file;
        SealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.ToArray(), KeyBytes, info: "bollard env seal v1"u8.ToArray());
        DigestKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.ToArray(), KeyBytes, info: "bollard env digest v1"u8.ToArray());
        var check = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.ToArray(), KeyBytes, info: "bollard key fingerprint v1"u8.ToArray());
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(check))[..16];
    }

    /// <summary>The file the key is in (safe to log); "" for a key made in memory.</summary>
    public string File { get; }

    /// <summary>Says which key this is without saying anything of it (a hash of a key derived for this use only).</summary>
    public string Fingerprint { get; }

    internal byte[] SealKey { get; }

    internal byte[] DigestKey { get; }

    /// <summary>A key of this process only, for tools that never store anything (e.g. local validation) and for tests.</summary>
    public static SecretKey Ephemeral() => new(RandomNumberGenerator.GetBytes(KeyBytes), "");

    /// <summary>A key from its bytes (tests; several agents of one test cluster share one).</summary>
    public static SecretKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == KeyBytes ? new SecretKey(key, "") : throw new ArgumentException($"a secrets key is {KeyBytes} bytes", nameof(key));

    /// <summary>
    /// Reads the key from <paramref name="file"/>; when <paramref name="generateIfMissing"/> and there is no such file,
    /// generates one (0600, its directory created 0700).
    /// </summary>
    /// <exception cref="SecretKeyException">The file cannot be read or created, is readable by others, or holds no key.</exception>
    public static SecretKey Load(string file, bool generateIfMissing)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        try
        {
            if (!System.IO.File.Exists(file))
            {
                return generateIfMissing
                    ? new SecretKey(Generate(file), file)
                    : throw new SecretKeyException($"the secrets key file {file} does not exist (copy the key file of a host of the cluster there, mode 0600)");
            }

            CheckPrivate(file);
            var text = System.IO.File.ReadAllText(file).Trim();
            var key = new byte[KeyBytes];
            return Convert.TryFromBase64String(text, key, out var length) && length == KeyBytes
                ? new SecretKey(key, file)
                : throw new SecretKeyException($"the secrets key file {file} does not hold a key ({KeyBytes} bytes in base64, e.g. from `head -c {KeyBytes} /dev/urandom | base64`)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateStoreUnavailableException)
        {
            throw new SecretKeyException($"cannot read or create the secrets key file {file}: {e.Message}", e);
        }
    }

    private static byte[] Generate(string file)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            StateDirectory.Create(directory);
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        using var stream = new FileStream(file, StateDirectory.PrivateFileOptions(FileMode.CreateNew));
        stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
        stream.Flush(flushToDisk: true);
        return key;
    }

    /// <summary>A key others may read is no secret: refused, with the command that fixes it.</summary>
    private static void CheckPrivate(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var mode = System.IO.File.GetUnixFileMode(file);
        if ((mode & others) != 0)
        {
            throw new SecretKeyException($"the secrets key file {file} may be read or written by other users (mode {Convert.ToString((int)mode, 8)}); run `chmod 600 {file}`");
        }
    }
}

/// <summary>The secrets key cannot be set up, or does not match the cluster's; the agent does not start.</summary>
public sealed class SecretKeyException : Exception
{
    public SecretKeyException()
    {
    }

    public SecretKeyException(string message)
        : base(message)
    {
    }

    public SecretKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
