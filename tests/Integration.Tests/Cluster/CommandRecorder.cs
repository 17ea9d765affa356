using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Every controller command written to Consul under <c>bollard/&lt;cluster&gt;/commands/</c> while it runs, as seen by
/// blocking queries: the key, the session holding it and the index at which it was created. A command is deleted once
/// answered, but a blocking query sees every change of the prefix, so none escapes (Consul wakes a blocking query on
/// each index change, and keys live at least as long as their host agent takes to answer).
/// </summary>
internal sealed class CommandRecorder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RecordedCommand> _seen = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public CommandRecorder(Uri consul, string cluster)
    {
        _reader = Task.Run(() => ReadAsync(new Uri(consul, $"/v1/kv/bollard/{cluster}/commands/?recurse=true"), _stop.Token));
    }

    public IReadOnlyList<RecordedCommand> Seen => [.. _seen.Values.OrderBy(c => c.CreateIndex)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task ReadAsync(Uri prefix, CancellationToken stop)
    {
        ulong index = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri($"{prefix}&index={index}&wait=5s"), stop);
                var next = ulong.Parse(response.Headers.GetValues("X-Consul-Index").First(), CultureInfo.InvariantCulture);
                if (response.IsSuccessStatusCode)
                {
                    foreach (var entry in (await response.Content.ReadFromJsonAsync<JsonElement>(stop)).EnumerateArray())
                    {
                        var key = entry.GetProperty("Key").GetString()!;
                        var session = entry.TryGetProperty("Session", out var s) ? s.GetString() : null;
                        var value = entry.GetProperty("Value") is { ValueKind: JsonValueKind.String } v ? Encoding.UTF8.GetString(v.GetBytesFromBase64()) : "";
                        _seen.TryAdd(key, new RecordedCommand(key, session, entry.GetProperty("CreateIndex").GetUInt64(), value));
                    }
                }

                index = next > index ? next : 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Consul busy: ask again.
            }
        }
    }
}

/// <param name="Key">The command's key.</param>
/// <param name="Session">The session that held it (the controller lock's).</param>
/// <param name="CreateIndex">Consul's index when it was written.</param>
/// <param name="Value">The command as written (JSON).</param>
internal sealed record RecordedCommand(string Key, string? Session, ulong CreateIndex, string Value);
