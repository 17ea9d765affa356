using System.Security.Cryptography;
using System.Text;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The admin API's bearer token. Read from the configured file, or generated once (32 random bytes, base64url) into
/// the state directory with mode 0600. Only a hash is kept in memory; the value is never logged.
/// </summary>
public sealed class AdminToken
{
    public const string DefaultFileName = "admin.token";
    private const int MinimumLength = 16;
    private readonly byte[] _hash;

    private AdminToken(string file, string token, bool generated)
    {
        File = file;
        Generated = generated;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The file the token is in (safe to log).</summary>
    public string File { get; }

    /// <summary>True when this start generated it.</summary>
    public bool Generated { get; }

    /// <summary>Compares in constant time (hashes first, so the length of the token does not leak either).</summary>
    public bool Matches(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }

    /// <exception cref="AdminTokenException">The configured file is missing or too short, or a token cannot be generated.</exception>
    public static AdminToken Load(AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = options.EffectiveTokenFile;
        try
        {
            if (options.TokenFile is null && !System.IO.File.Exists(file))
            {
                return new AdminToken(file, Generate(options.StateDirectory, file), generated: true);
            }

            var token = System.IO.File.ReadAllText(file).Trim();
            return token.Length >= MinimumLength
                ? new AdminToken(file, token, generated: false)
                : throw new AdminTokenException($"the admin token in {file} is too short ({token.Length} characters, at least {MinimumLength})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateStoreUnavailableException)
        {
            throw new AdminTokenException($"cannot read or create the admin token file {file}: {e.Message}", e);
        }
    }

    private static string Generate(string stateDirectory, string file)
    {
        State.StateDirectory.Create(stateDirectory);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using (var stream = new FileStream(file, State.StateDirectory.PrivateFileOptions(FileMode.CreateNew)))
        {
            stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
            stream.Flush(flushToDisk: true);
        }

        return token;
    }
}

/// <summary>The admin token cannot be set up; the agent does not start.</summary>
public sealed class AdminTokenException : Exception
{
    public AdminTokenException()
    {
    }

    public AdminTokenException(string message)
        : base(message)
    {
    }

    public AdminTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
