using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Specs;

public sealed class EnvSpecTests
{
    private const string Head = "name: web\nimage: app:1\nport: 80\n";
    private const string Secret = "s3cr3t-value-4711";

    [Fact]
    public void A_value_is_plain_or_marked_secret_and_env_files_are_one_or_a_list()
    {
        var single = Load(Head + $"env:\n  MODE: blue\n  DB_PASSWORD: {{secret: {Secret}}}\n  EMPTY:\nenvFrom: {{file: /etc/bollard/web.env}}\n");
        var list = Load(Head + "envFrom:\n  - file: /etc/bollard/a.env\n  - {file: /etc/bollard/b.env}\n");

        Assert.Equal([("DB_PASSWORD", Secret), ("EMPTY", ""), ("MODE", "blue")], single.Env.Values.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(["/etc/bollard/web.env"], single.Env.Files);
        Assert.Equal(["/etc/bollard/a.env", "/etc/bollard/b.env"], list.Env.Files);
    }

    [Theory]
    [InlineData("env:\n  1ST: x\n", "web.yaml:5:8: env.1ST: '1ST' is not a valid environment variable name")]
    [InlineData("env:\n  BOLLARD_ZONE: x\n", "web.yaml:5:17: env.BOLLARD_ZONE: names starting with BOLLARD_ are set by Bollard itself")]
    [InlineData("env:\n  A: [1, 2]\n", "web.yaml:5:6: env.A: must be a plain value")]
    [InlineData("env:\n  A: {secret: x, public: y}\n", "web.yaml:5:18: env.A.public: unknown field (allowed here: secret)")]
    [InlineData("env:\n  A: {}\n", "web.yaml:5:6: env.A.secret: is required")]
    [InlineData("envFrom: {file: web.env}\n", "web.yaml:4:17: envFrom.file: must be an absolute path of a file on the hosts")]
    [InlineData("envFrom: [/etc/web.env]\n", "web.yaml:4:11: envFrom[0]: must be {file: /path/to/file.env}")]
    [InlineData("envFrom: [{file: /a.env}, {file: /a.env}]\n", "web.yaml:4:34: envFrom[1].file: '/a.env' is listed twice")]
    [InlineData("envFrom: {path: /a.env}\n", "web.yaml:4:10: envFrom.file: is required")]
    public void Bad_entries_are_reported_with_file_line_and_field(string lines, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + lines));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void No_error_message_quotes_a_value()
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + $"env:\n  BAD NAME: {Secret}\n  A: {{secret: {Secret}, extra: 1}}\n  B: [{Secret}]\n"));

        Assert.NotEmpty(error.Errors);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_stands_for_the_values_through_a_keyed_digest_only()
    {
        var key = SecretKey.Ephemeral();
        var spec = Load(Head + $"env: {{DB_PASSWORD: {Secret}}}\n");

        // Undigested values have no version: a version computed from them could be tested against guesses.
        Assert.Throws<InvalidOperationException>(() => spec.Version);
        var digested = EnvDigests.Apply(spec, key);
        Assert.Matches("^[0-9a-f]{32}$", digested.Env.Digest);

        // Same values and key: same version on every host; another value or another key: another digest.
        Assert.Equal(digested.Version, EnvDigests.Apply(Load(Head + $"env: {{DB_PASSWORD: {{secret: {Secret}}}}}\n"), key).Version);
        Assert.NotEqual(digested.Version, EnvDigests.Apply(spec with { Env = spec.Env.With("DB_PASSWORD", Secret + "!") }, key).Version);
        Assert.NotEqual(digested.Env.Digest, EnvDigests.Apply(spec, SecretKey.Ephemeral()).Env.Digest);

        // A changed value drops the digest, so a stale digest never stands for new values.
        Assert.Null(digested.Env.With("DB_PASSWORD", "other").Digest);
        Assert.NotEqual(digested.Version, EnvDigests.Apply(Load(Head + $"env: {{DB_PASSWORD: {Secret}}}\nenvFrom: {{file: /etc/web.env}}\n"), key).Version);
    }

    [Fact]
    public void A_spec_printed_or_serialised_by_default_shows_names_and_never_values()
    {
        var spec = EnvDigests.Apply(Load(Head + $"env: {{DB_PASSWORD: {Secret}}}\n"), SecretKey.Ephemeral());

        Assert.DoesNotContain(Secret, spec.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, spec.Env.ToString(), StringComparison.Ordinal);
        var json = System.Text.Json.JsonSerializer.Serialize(spec);
        Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
        Assert.Contains("DB_PASSWORD", json, StringComparison.Ordinal);
    }

    private static ServiceSpec Load(string yaml) => Assert.Single(SpecLoader.LoadTexts([("web.yaml", yaml)]));
}
