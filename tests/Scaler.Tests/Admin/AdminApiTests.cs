using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Bollard.Scaler.Tests.Admin;

public sealed class AdminApiTests : IAsyncLifetime
{
    private AdminApiHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null, "no bearer token")]
    [InlineData("wrong-token-0123456789", "not the admin token")]
    public async Task Without_the_right_token_the_answer_is_401_problem_details_with_a_bearer_challenge(string? token, string detail)
    {
        using var client = _host.Client(token);
        using var response = await client.GetAsync(new Uri("/v1/services", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(detail, (await Problem(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_scheme_is_refused()
    {
        using var client = _host.Client(null);
        client.DefaultRequestHeaders.Authorization = new("Basic", "dXNlcjpwYXNz");

        using var response = await client.GetAsync(new Uri("/v1/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task With_the_token_the_api_answers()
    {
        using var client = _host.Client();

        Assert.Equal("[]", await client.GetStringAsync(new Uri("/v1/services", UriKind.Relative)));
    }

    [Fact]
    public async Task An_invalid_spec_is_400_with_every_located_error()
    {
        using var client = _host.Client();
        using var body = new StringContent("name: Web\nimage: x:1\nport: 99999\n", Encoding.UTF8, "text/yaml");

        using var response = await client.PostAsync(new Uri("/v1/validate", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await Problem(response)).GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("request.yaml", e.GetProperty("file").GetString()));
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == "port" && e.GetProperty("line").GetInt32() == 3);
    }

    [Fact]
    public async Task Plan_takes_json_files_and_returns_the_diff()
    {
        using var client = _host.Client();
        var request = new { files = new[] { new { name = "web.yaml", text = "name: web\nimage: x:1\nport: 8080\nreplicas: 2\n" } } };

        using var response = await client.PostAsJsonAsync(new Uri("/v1/plan", UriKind.Relative), request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var service = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("services")[0];
        Assert.Equal(("web", "Added", 2), (service.GetProperty("service").GetString(), service.GetProperty("change").GetString(), service.GetProperty("containersToCreate").GetInt32()));
    }

    [Theory]
    [InlineData("application/json", "{\"files\":", "malformed")]
    [InlineData("text/yaml", "", "empty")]
    public async Task A_body_in_no_known_form_is_400_saying_what_is_expected(string type, string text, string detail)
    {
        using var client = _host.Client();
        using var body = new StringContent(text, Encoding.UTF8, type);

        using var response = await client.PostAsync(new Uri("/v1/plan", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await Problem(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_content_type_is_415()
    {
        using var client = _host.Client();
        using var body = new StringContent("<x/>", Encoding.UTF8, "application/xml");

        using var response = await client.PostAsync(new Uri("/v1/plan", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v1/apply", HttpStatusCode.Conflict)]
    [InlineData("POST", "/v1/services/web/rollout/pause", HttpStatusCode.NotImplemented)]
    [InlineData("POST", "/v1/services/web/rollout/jump", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v1/services/web", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v1/services/web/rollout", HttpStatusCode.NotFound)]
    public async Task Refusals_are_problem_details_with_their_status(string method, string path, HttpStatusCode status)
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = new StringContent("name: web\nimage: x:1\nport: 8080\n", Encoding.UTF8, "text/yaml"),
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await Problem(response)).GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_rollout_start_records_who_asked()
    {
        using var client = _host.Client();
        client.DefaultRequestHeaders.Add("X-Bollard-Actor", "alice@laptop");

        using var response = await client.PostAsJsonAsync(new Uri("/v1/services/web/rollout", UriKind.Relative), new { image = "x:2" });

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.StartsWith("alice@laptop via ", Assert.Single(_host.Plane.Actors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_v1_endpoints()
    {
        using var client = _host.Client();

        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/openapi.json", UriKind.Relative))).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/apply", paths);
        Assert.Contains("/v1/services/{name}/rollout/{command}", paths);
        Assert.Contains("/v1/audit", paths);
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
