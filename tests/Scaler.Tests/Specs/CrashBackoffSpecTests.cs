using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Specs;

public sealed class CrashBackoffSpecTests
{
    private const string Head = "name: web\nimage: app:1\nport: 80\n";

    [Fact]
    public void Reads_the_crash_back_off_and_defaults_to_one_second_doubling_to_five_minutes()
    {
        var spec = Load(Head + "crashBackoff: {initial: 2s, max: 1m, resetAfter: 10m}\n");

        Assert.Equal(new CrashBackoffSpec { Initial = TimeSpan.FromSeconds(2), Max = TimeSpan.FromMinutes(1), ResetAfter = TimeSpan.FromMinutes(10) }, spec.CrashBackoff);
        Assert.Equal(new CrashBackoffSpec { Initial = TimeSpan.FromSeconds(1), Max = TimeSpan.FromMinutes(5), ResetAfter = TimeSpan.FromMinutes(3) }, Load(Head).CrashBackoff);
    }

    [Theory]
    [InlineData("crashBackoff: {initial: 10s, max: 5s}\n", "crashBackoff.max: must be at least initial (10s), got 5s")]
    [InlineData("crashBackoff: {initial: 2h}\n", "crashBackoff.initial: must be a duration from 100ms to 1h")]
    [InlineData("crashBackoff: {reset: 1m}\n", "crashBackoff.reset: unknown field")]
    public void Bad_values_are_reported_with_the_field(string line, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + line));

        Assert.Contains(error.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Changing_it_keeps_the_version()
    {
        Assert.Equal(Load(Head).Version, Load(Head + "crashBackoff: {initial: 5s, max: 10m, resetAfter: 1h}\n").Version);
    }

    private static ServiceSpec Load(string yaml) => Assert.Single(SpecLoader.LoadTexts([("web.yaml", yaml)]));
}
