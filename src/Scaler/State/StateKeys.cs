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

    /// <summary>Every service's decision log: <c>decisions/&lt;service&gt;/&lt;segment&gt;</c>.</summary>
    public const string DecisionsPrefix = "decisions/";

    /// <summary>With the trailing '/': service "web" must not see the decisions of "web2".</summary>
    public static string Decisions(string service) => $"{DecisionsPrefix}{service}/";

    /// <summary>Zero-padded, so that key order is segment order.</summary>
    public static string DecisionSegment(string service, long segment) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Decisions(service)}{segment:D20}");

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
