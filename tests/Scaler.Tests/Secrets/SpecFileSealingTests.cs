using Bollard.Scaler.Admin;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Secrets;

public sealed class SpecFileSealingTests
{
    private const string Secret = "s3cr3t-value-4711";

    private static readonly SpecFile Web = new("web.yaml", $"""
        name: web
        image: app:1
        port: 80
        env:
          MODE: blue
          DB_PASSWORD: {Secret}
          API_KEY: {"{"}secret: "{Secret}-api"{"}"}
        ---
        name: plain
        image: app:1
        port: 81
        """);

    [Fact]
    public void Applied_files_keep_no_value_in_clear_and_unseal_to_the_same_specs()
    {
        var key = SecretKey.Ephemeral();

        var sealedFiles = SpecFileSealing.Seal([Web], key);

        Assert.DoesNotContain(Secret, sealedFiles[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("blue", sealedFiles[0].Text, StringComparison.Ordinal);
        Assert.Contains("DB_PASSWORD", sealedFiles[0].Text, StringComparison.Ordinal);
        var unsealed = SpecFileSealing.Unseal(sealedFiles, key);
        Assert.Equal(Load([Web]), Load(unsealed));
        Assert.Equal($"{Secret}-api", Load(unsealed)[0].Env.Values["API_KEY"]);

        // Files kept before values were sealed are read as they are.
        Assert.Equal(Load([Web]), Load(SpecFileSealing.Unseal([Web], key)));
        Assert.Throws<SecretKeyException>(() => SpecFileSealing.Unseal(sealedFiles, SecretKey.Ephemeral()));
    }

    private static IReadOnlyList<ServiceSpec> Load(IReadOnlyList<SpecFile> files) => SpecLoader.LoadTexts(files.Select(f => (f.Name, f.Text)));
}
