using System.Text.RegularExpressions;

namespace Bollard.Scaler.State;

/// <summary>
/// The shape of a key: segments of lower-case letters, digits, '.', '_' and '-' separated by '/', none of them "." or
/// "..". Both adapters take the same keys, so a key never escapes the state directory or the Consul prefix.
/// </summary>
public static partial class StateKeys
{
    public const string DesiredSpecs = "desired/specs";

    /// <summary>The fingerprint of the secrets key the stored values are sealed with (Secrets/SecretKeyCheck).</summary>
    public const string SecretsKeyFingerprint = "secrets/key-fingerprint";

    public static string Rollout(string service) => $"rollouts/{service}";

    public static void Validate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!KeyPattern().IsMatch(key) || key.Split('/').Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"invalid state key '{key}': use segments of a-z, 0-9, '.', '_' and '-' separated by '/'", nameof(key));
        }
    }

    [GeneratedRegex("^[a-z0-9._-]+(/[a-z0-9._-]+)*$")]
    private static partial Regex KeyPattern();
}
