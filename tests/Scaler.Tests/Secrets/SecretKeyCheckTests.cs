using Bollard.Scaler.Secrets;
using Bollard.Scaler.Tests.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Scaler.Tests.Secrets;

public sealed class SecretKeyCheckTests
{
    [Fact]
    public async Task The_first_agent_records_its_key_and_an_agent_with_another_key_refuses_to_start()
    {
        var store = new InMemoryStateStore();
        var key = SecretKey.Ephemeral();

        await new SecretKeyCheck(key, store, NullLogger<SecretKeyCheck>.Instance).StartingAsync(default);
        await new SecretKeyCheck(key, store, NullLogger<SecretKeyCheck>.Instance).StartingAsync(default);
        var refused = await Assert.ThrowsAsync<SecretKeyException>(() => new SecretKeyCheck(SecretKey.Ephemeral(), store, NullLogger<SecretKeyCheck>.Instance).StartingAsync(default));

        Assert.Contains($"fingerprint {key.Fingerprint}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("copy it from a host of the cluster", refused.Message, StringComparison.Ordinal);
    }
}
