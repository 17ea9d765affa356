using Bollard.Scaler.Secrets;

namespace Bollard.Scaler.Tests.Secrets;

public sealed class EnvSealingTests
{
    private const string Secret = "s3cr3t-value-4711";

    [Fact]
    public void A_sealed_value_hides_the_value_and_unseals_with_the_same_key_only()
    {
        var key = SecretKey.Ephemeral();
        var sealedValue = EnvSealing.Seal(key, "DB_PASSWORD", Secret);

        Assert.StartsWith(EnvSealing.Prefix, sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, EnvSealing.Seal(key, "DB_PASSWORD", Secret)); // a fresh nonce each time
        Assert.Equal(Secret, EnvSealing.Unseal(key, "DB_PASSWORD", sealedValue));
        Assert.Equal("", EnvSealing.Unseal(key, "EMPTY", EnvSealing.Seal(key, "EMPTY", "")));

        var other = Assert.Throws<SecretKeyException>(() => EnvSealing.Unseal(SecretKey.Ephemeral(), "DB_PASSWORD", sealedValue));
        Assert.Contains("another secrets key", other.Message, StringComparison.Ordinal);

        // Bound to its name: a sealed value moved to another variable does not unseal.
        Assert.Throws<SecretKeyException>(() => EnvSealing.Unseal(key, "API_KEY", sealedValue));
        Assert.Throws<SecretKeyException>(() => EnvSealing.Unseal(key, "DB_PASSWORD", Secret));
        Assert.Throws<SecretKeyException>(() => EnvSealing.Unseal(key, "DB_PASSWORD", EnvSealing.Prefix + "!!"));
    }

    [Fact]
    public void Every_value_of_a_command_is_sealed_and_comes_back_whole()
    {
        var key = SecretKey.Ephemeral();
        var values = new Dictionary<string, string> { ["A"] = Secret, ["B"] = "ünïcode = ok\nline two" };

        var sealedValues = EnvSealing.SealAll(key, values);

        Assert.All(sealedValues.Values, v => Assert.True(EnvSealing.IsSealed(v)));
        Assert.Equal(values.OrderBy(kv => kv.Key), EnvSealing.UnsealAll(key, sealedValues).OrderBy(kv => kv.Key));
    }
}
