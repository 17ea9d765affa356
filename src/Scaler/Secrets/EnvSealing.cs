using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// Seals environment values wherever they must be kept or carried outside a container (the state store, a command to
/// another host): AES-256-GCM under a key derived from the <see cref="SecretKey"/>, a fresh nonce per value, the
/// variable's name as associated data (a sealed value cannot be moved to another name). The sealed form is text:
/// <c>bollard-sealed:v1:</c> and the base64url of nonce, ciphertext and tag.
/// </summary>
public static class EnvSealing
{
    public const string Prefix = "bollard-sealed:v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static bool IsSealed(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Seal(SecretKey key, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.SealKey, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(name));
        return Prefix + Convert.ToBase64String(sealedBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="SecretKeyException">The value was sealed with another key, for another name, or is damaged.</exception>
    public static string Unseal(SecretKey key, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!IsSealed(value))
        {
            throw new SecretKeyException($"the value of {name} is not sealed");
        }

        byte[] sealedBytes;
        try
        {
            var text = value[Prefix.Length..].Replace('-', '+').Replace('_', '/');
            sealedBytes = Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
        }
        catch (FormatException e)
        {
            throw new SecretKeyException($"the sealed value of {name} is damaged", e);
        }

        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new SecretKeyException($"the sealed value of {name} is damaged");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key.SealKey, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), plain, Encoding.UTF8.GetBytes(name));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SecretKeyException($"the value of {name} was sealed with another secrets key (this host's key has fingerprint {key.Fingerprint}; every agent of a cluster needs the same key file)", e);
        }

        return Encoding.UTF8.GetString(plain);
    }

    public static ImmutableDictionary<string, string> SealAll(SecretKey key, IReadOnlyDictionary<string, string> values) =>
        values.ToImmutableDictionary(kv => kv.Key, kv => Seal(key, kv.Key, kv.Value), StringComparer.Ordinal);

    /// <exception cref="SecretKeyException">A value cannot be unsealed with this key.</exception>
    public static ImmutableDictionary<string, string> UnsealAll(SecretKey key, IReadOnlyDictionary<string, string> values) =>
        values.ToImmutableDictionary(kv => kv.Key, kv => Unseal(key, kv.Key, kv.Value), StringComparer.Ordinal);
}
