using System.Text;
using System.Text.Json;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Docker;

/// <summary>Credentials come from a docker config file's auths, matched by registry host as Docker matches them.</summary>
public sealed class RegistryCredentialsTests : IDisposable
{
    private const string Secret = "s3cret-Passw0rd";
    private readonly string _dir = Directory.CreateTempSubdirectory("bollard-auth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("127.0.0.1:5055", "127.0.0.1:5055")]
    [InlineData("http://127.0.0.1:5055", "127.0.0.1:5055")]
    [InlineData("https://registry.example.com/v1/", "registry.example.com")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    public void An_auths_entry_is_found_by_its_registry_host(string key, string registry)
    {
        var auth = RegistryCredentials.Find(Config(key, Basic("deploy", Secret)), registry);

        Assert.NotNull(auth);
        Assert.Equal(("deploy", Secret), (auth.Username, auth.Password));
    }

    [Fact]
    public void Another_registrys_entry_is_not_used() =>
        Assert.Null(RegistryCredentials.Find(Config("registry.example.com", Basic("deploy", Secret)), "127.0.0.1:5055"));

    [Fact]
    public void An_identity_token_is_passed_on() =>
        Assert.Equal("tok", RegistryCredentials.Find(JsonDocument.Parse("""{"auths":{"r.example.com":{"identitytoken":"tok"}}}""").RootElement, "r.example.com")!.IdentityToken);

    [Fact]
    public void A_password_with_a_colon_is_kept_whole() =>
        Assert.Equal("a:b:c", RegistryCredentials.Find(Config("r.example.com", Basic("u", "a:b:c")), "r.example.com")!.Password);

    [Fact]
    public void No_file_configured_pulls_anonymously() =>
        Assert.Null(new RegistryCredentials(null).For("127.0.0.1:5055"));

    [Fact]
    public void The_file_is_read_at_each_pull()
    {
        var file = Path.Combine(_dir, "config.json");
        File.WriteAllText(file, """{"auths":{}}""");
        var credentials = new RegistryCredentials(file);
        Assert.Null(credentials.For("127.0.0.1:5055"));

        File.WriteAllText(file, JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { ["127.0.0.1:5055"] = new { auth = Basic("deploy", Secret) } } }));
        Assert.Equal("deploy", credentials.For("127.0.0.1:5055")!.Username);
    }

    [Fact]
    public void A_broken_file_is_a_clear_error_that_quotes_none_of_it()
    {
        var file = Path.Combine(_dir, "config.json");
        File.WriteAllText(file, $"{{\"auths\": {{\"127.0.0.1:5055\": {{\"auth\": \"{Secret}");

        var e = Assert.Throws<ContainerOperationException>(() => new RegistryCredentials(file).For("127.0.0.1:5055"));
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, RegistryCredentials.Check(file), StringComparison.Ordinal);
        Assert.Contains("not JSON", RegistryCredentials.Check(file), StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_at_start_accepts_a_docker_config_and_refuses_what_is_not_one()
    {
        var good = Path.Combine(_dir, "good.json");
        File.WriteAllText(good, """{"auths":{"r.example.com":{"auth":"dTpw"}},"credsStore":"desktop"}""");
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{"auths":["r.example.com"]}""");

        Assert.Null(RegistryCredentials.Check(good));
        Assert.Contains("not a docker config file", RegistryCredentials.Check(bad), StringComparison.Ordinal);
        Assert.Contains("cannot be read", RegistryCredentials.Check(Path.Combine(_dir, "missing.json")), StringComparison.Ordinal);
    }

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static JsonElement Config(string key, string auth) =>
        JsonDocument.Parse(JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [key] = new { auth } } })).RootElement;
}
