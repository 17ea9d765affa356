using System.Security.Cryptography;
using System.Text;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// The keyed digest that stands for a service's environment values in its version id: HMAC-SHA256 under a key derived
/// from the <see cref="SecretKey"/>, over every name and value, each length-prefixed (no two environments share an
/// input). Without the key a digest tells nothing, not even whether a guessed value is the right one; with the same key
/// every agent of a cluster computes the same digest, so they agree on version ids.
/// </summary>
public static class EnvDigests
{
    /// <summary>The spec with its environment digested (unchanged when it has no values or already has its digest).</summary>
    public static ServiceSpec Apply(ServiceSpec spec, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Env.IsDigested ? spec : spec with { Env = Digest(spec.Env, key) };
    }

    /// <summary>The environment with the digest of its values under <paramref name="key"/>.</summary>
    public static ServiceEnvironment Digest(ServiceEnvironment env, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(key);
        if (env.Values.Count == 0)
        {
            return env;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.DigestKey);
        foreach (var (name, value) in env.Values)
        {
            Append(hmac, name);
            Append(hmac, value);
        }

        return env.WithDigest(Convert.ToHexStringLower(hmac.GetHashAndReset())[..32]);
    }

    private static void Append(IncrementalHash hmac, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hmac.AppendData(length);
        hmac.AppendData(bytes);
    }
}
