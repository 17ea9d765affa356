using System.Net.Http.Json;

namespace Bollard.IntegrationTests.Docker;

/// <summary>What the sample app answers on any path but its own.</summary>
internal sealed record SampleReply(string Replica, string Version, string Zone, string Path)
{
    public static async Task<SampleReply?> GetAsync(HttpClient http, string address, int port, string path = "/")
    {
        using var response = await http.GetAsync(new Uri($"http://{address}:{port}{path}"));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<SampleReply>() : null;
    }
}
