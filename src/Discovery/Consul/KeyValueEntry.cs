namespace Bollard.Discovery.Consul;

/// <summary>One Consul KV entry.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value bytes (empty when the key holds no value).</param>
/// <param name="ModifyIndex">The index of the last write; pass it to a check-and-set write.</param>
/// <param name="Session">The session holding the key's lock, if any.</param>
public sealed record KeyValueEntry(string Key, ReadOnlyMemory<byte> Value, ulong ModifyIndex, string? Session);
