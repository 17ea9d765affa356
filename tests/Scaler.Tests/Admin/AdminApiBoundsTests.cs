using System.Net;
using System.Text;
using System.Text.Json;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Admin;

/// <summary>Every body the API reads is bounded: its size, its JSON nesting, its YAML nesting and alias expansion.</summary>
public sealed class AdminApiBoundsTests : IAsyncLifetime
{
    private AdminApiHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/v1/validate", "text/yaml")]
    [InlineData("/v1/plan", "application/json")]
    [InlineData("/v1/apply", "text/yaml")]
    [InlineData("/v1/services/web/rollout", "application/json")]
    [InlineData("/v1/services/web/rollout/pause", "application/json")]
    public async Task A_body_over_the_limit_is_413_on_every_post(string path, string type)
    {
        using var client = _host.Client();
        using var body = new StringContent(new string('x', (1024 * 1024) + 1), Encoding.UTF8, type);

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger than", await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_sent_in_chunks_is_stopped_at_the_limit_too()
    {
        using var client = _host.Client();
        using var body = new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024]));
        body.Headers.ContentType = new("application/json");

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/services/web/rollout", UriKind.Relative)) { Content = body };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/plan")]
    [InlineData("/v1/services/web/rollout")]
    public async Task Json_nested_deeper_than_the_bound_is_400(string path)
    {
        using var client = _host.Client();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20);
        using var body = new StringContent(deep, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nested deeper than 8 levels", await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_billion_laughs_document_is_refused_with_400_at_once()
    {
        var yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(", ", Enumerable.Repeat($"*{previous}", 9))).Append("]\n");
        }

        using var client = _host.Client();
        using var body = new StringContent(yaml.ToString(), Encoding.UTF8, "text/yaml");
        using var response = await client.PostAsync(new Uri("/v1/validate", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Contains("billion laughs", error.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_nested_a_million_levels_deep_is_refused_with_400()
    {
        using var client = _host.Client();
        using var body = new StringContent(new string('[', 1_000_000), Encoding.UTF8, "text/yaml");

        using var response = await client.PostAsync(new Uri("/v1/plan", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"nested deeper than {YamlBounds.MaxDepth} levels", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_a_hundred_thousand_documents_lists_the_first_problems_only()
    {
        using var client = _host.Client();
        using var body = new StringContent(string.Concat(Enumerable.Repeat("--- x\n", 100_000)), Encoding.UTF8, "text/yaml");

        using var response = await client.PostAsync(new Uri("/v1/validate", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(SpecLoader.MaxErrors + 1, errors.Count);
        Assert.Contains("more problem(s) not listed", errors[^1].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> Detail(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString() ?? "";
}
