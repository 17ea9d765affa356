using System.Text.Json.Serialization;

namespace Bollard.Discovery.Consul;

// The shapes of the Consul HTTP API that Bollard reads and writes; only the fields it uses.

internal sealed record AgentServiceRegistration(
    [property: JsonPropertyName("ID")] string Id,
    string Name,
    string Address,
    int Port,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Meta,
    AgentServiceCheck Check);

internal sealed record AgentServiceCheck(
    [property: JsonPropertyName("HTTP")] string Http,
    string Interval,
    string Timeout,
    string DeregisterCriticalServiceAfter,
    string Status,
    int FailuresBeforeCritical);

internal sealed record HealthServiceEntry(HealthNode? Node, HealthService? Service);

internal sealed record HealthNode(string? Address);

internal sealed record HealthService(
    [property: JsonPropertyName("ID")] string Id,
    string Service,
    string? Address,
    int Port,
    IReadOnlyDictionary<string, string>? Meta);

internal sealed record KeyValueDto(string Key, byte[]? Value, ulong ModifyIndex, string? Session);

internal sealed record SessionCreateRequest(
    string Name,
    [property: JsonPropertyName("TTL")] string Ttl,
    string LockDelay,
    string Behavior,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Checks);

internal sealed record TtlServiceRegistration(
    [property: JsonPropertyName("ID")] string Id,
    string Name,
    IReadOnlyDictionary<string, string> Meta,
    TtlServiceCheck Check);

internal sealed record TtlServiceCheck(
    [property: JsonPropertyName("CheckID")] string CheckId,
    string Name,
    [property: JsonPropertyName("TTL")] string Ttl,
    string DeregisterCriticalServiceAfter,
    string Status);

internal sealed record TxnOperation([property: JsonPropertyName("KV")] TxnKeyValue KeyValue);

internal sealed record TxnKeyValue(
    string Verb,
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte[]? Value,
    string Session);

internal sealed record SessionCreated([property: JsonPropertyName("ID")] string Id);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AgentServiceRegistration))]
[JsonSerializable(typeof(HealthServiceEntry[]))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(KeyValueDto[]))]
[JsonSerializable(typeof(SessionCreateRequest))]
[JsonSerializable(typeof(SessionCreated))]
[JsonSerializable(typeof(TtlServiceRegistration))]
[JsonSerializable(typeof(TxnOperation[]))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
