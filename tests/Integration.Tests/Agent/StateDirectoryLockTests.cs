using Bollard.Agent;
using Bollard.Scaler.State;

namespace Bollard.IntegrationTests.Agent;

/// <summary>One agent per state directory, enforced by a kernel lock on a file in it.</summary>
public sealed class StateDirectoryLockTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-lock-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_second_holder_is_refused_with_the_directory_named_until_the_first_lets_go()
    {
        using (StateDirectoryLock.Acquire(_directory))
        {
            var refused = Assert.Throws<StateStoreUnavailableException>(() => StateDirectoryLock.Acquire(_directory));

            Assert.Contains($"another bollard agent is using the state directory {_directory}", refused.Message, StringComparison.Ordinal);
        }

        // The holder's pid stays for an operator to read (cat takes no lock; .NET's readers would).
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(_directory, StateDirectoryLock.FileName)).Trim());

        using var again = StateDirectoryLock.Acquire(_directory);
    }
}
