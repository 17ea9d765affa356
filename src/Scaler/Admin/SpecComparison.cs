using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Compares two parsed specs field by field, by walking their properties: every settable property of the spec and of
/// the records it holds, so a field added to the spec is compared (and shown in a plan) without being listed here.
/// Values of a mapping (environment variables, and any other map a spec grows) are never shown, only which names were
/// added, removed or changed: they may be secrets.
/// </summary>
public static class SpecComparison
{
    // Where the spec was read from is not part of what is asked for.
    private static readonly HashSet<string> Ignored = [nameof(ServiceSpec.Source)];

    /// <summary>Each field that differs, in words ("health.interval: 2s -> 5s"); empty when the specs are the same.</summary>
    public static IReadOnlyList<string> Differences(ServiceSpec from, ServiceSpec to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var changes = new List<string>();
        if (from.Env.IsDigested && to.Env.IsDigested && from.Version != to.Version)
        {
            changes.Add($"version: {from.Version} -> {to.Version}");
        }

        CompareMembers("", typeof(ServiceSpec), from, to, changes);
        return changes;
    }

    /// <summary>Every field of a spec as "path=value", values of mappings included (for a hash, never for display).</summary>
    public static IEnumerable<string> Fields(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // The version stands for what the fields cannot show: environment values count in it through their digest.
        var fields = new List<string> { $"version={(spec.Env.IsDigested ? spec.Version : "")}" };
        foreach (var property in Members(typeof(ServiceSpec)))
        {
            // Member by member: the spec itself reads as its name and image only.
            Flatten(Name(property), property.GetValue(spec), fields);
        }

        return fields;
    }

    private static void Compare(string path, object? a, object? b, List<string> changes)
    {
        if (a is null || b is null || a.GetType() != b.GetType() || IsLeaf(a.GetType()))
        {
            if (Equals(a, b))
            {
                return;
            }

            // A type that says how it reads shows only that (an environment reads as its names, never its values). One
            // that holds a mapping is shown by the entries that changed; two that differ but read the same, by the
            // parts that changed; never with their values.
            var entries = a is null || b is null || a.GetType() != b.GetType() || a.GetType().IsPrimitive || a is string ? [] : EntryChanges(a, b).ToList();
            changes.Add(entries.Count > 0 ? $"{path}: {string.Join(", ", entries)}"
                : Show(a) != Show(b) ? $"{path}: {Show(a)} -> {Show(b)}"
                : $"{path}: {string.Join(", ", PartChanges(a!, b!).DefaultIfEmpty("changed"))} (values not shown)");
            return;
        }

        switch (a)
        {
            case IDictionary map:
                var other = (IDictionary)b;
                var keys = map.Keys.Cast<object>().Union(other.Keys.Cast<object>()).Select(k => k.ToString()!).Order(StringComparer.Ordinal);
                var changed = keys
                    .Select(k => !map.Contains(k) ? $"{k} added" : !other.Contains(k) ? $"{k} removed" : Same(map[k], other[k]) ? null : $"{k} changed")
                    .OfType<string>()
                    .ToList();
                if (changed.Count > 0)
                {
                    changes.Add($"{path}: {string.Join(", ", changed)}");
                }

                break;
            case IEnumerable when a is not string:
                if (!Same(a, b))
                {
                    changes.Add($"{path}: {Show(a)} -> {Show(b)}");
                }

                break;
            default:
                CompareMembers(path, a.GetType(), a, b, changes);
                break;
        }
    }

    /// <summary>The entries added, removed or changed in the mappings two values hold (names only).</summary>
    private static IEnumerable<string> EntryChanges(object a, object b)
    {
        foreach (var property in Readable(a.GetType()))
        {
            if (property.GetValue(a) is IDictionary x && property.GetValue(b) is IDictionary y)
            {
                var keys = x.Keys.Cast<object>().Union(y.Keys.Cast<object>()).Select(k => k.ToString()!).Order(StringComparer.Ordinal);
                foreach (var key in keys.Where(k => !x.Contains(k) || !y.Contains(k) || !Same(x[k], y[k])))
                {
                    yield return !x.Contains(key) ? $"{key} added" : !y.Contains(key) ? $"{key} removed" : $"{key} changed";
                }
            }
        }
    }

    /// <summary>The names of the readable parts that differ between two values that read the same.</summary>
    private static IEnumerable<string> PartChanges(object a, object b) =>
        Readable(a.GetType()).Where(p => !Same(p.GetValue(a), p.GetValue(b))).Select(p => $"{Name(p)} changed");

    private static IEnumerable<PropertyInfo> Readable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0);

    private static void CompareMembers(string path, Type type, object a, object b, List<string> changes)
    {
        foreach (var property in Members(type))
        {
            Compare(Join(path, property), property.GetValue(a), property.GetValue(b), changes);
        }
    }

    private static void Flatten(string path, object? value, List<string> fields)
    {
        switch (value)
        {
            case null:
                fields.Add($"{path}=");
                break;
            case var leaf when IsLeaf(leaf.GetType()):
                fields.Add($"{path}={Show(leaf)}");
                break;
            case IDictionary map:
                foreach (var key in map.Keys.Cast<object>().OrderBy(k => k.ToString(), StringComparer.Ordinal))
                {
                    Flatten($"{path}.{key}", map[key], fields);
                }

                break;
            case IEnumerable items and not string:
                var i = 0;
                foreach (var item in items)
                {
                    Flatten($"{path}[{i++}]", item, fields);
                }

                break;
            default:
                fields.Add($"{path}:{Kind(value.GetType())}");
                foreach (var property in Members(value.GetType()))
                {
                    Flatten(Join(path, property), property.GetValue(value), fields);
                }

                break;
        }
    }

    /// <summary>True when both render the same (collections and records of collections have no value equality of their own).</summary>
    private static bool Same(object? a, object? b)
    {
        var (fa, fb) = (new List<string>(), new List<string>());
        Flatten("", a, fa);
        Flatten("", b, fb);
        return fa.SequenceEqual(fb, StringComparer.Ordinal);
    }

    private static IEnumerable<PropertyInfo> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && !Ignored.Contains(p.Name))
            .OrderBy(p => p.MetadataToken);

    /// <summary>A value compared and shown as a whole: a primitive, a string, a duration, or a type that says how it reads.</summary>
    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal) || type == typeof(DateTimeOffset))
        {
            return true;
        }

        var toString = type.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        return toString is not null && toString.DeclaringType == type && toString.GetCustomAttribute<CompilerGeneratedAttribute>(inherit: false) is null
            && !typeof(IEnumerable).IsAssignableFrom(type);
    }

    private static string Show(object? value) => value switch
    {
        null => "none",
        string text => text,
        TimeSpan span => Durations.Format(span),
        bool flag => flag ? "true" : "false",
        IFormattable number when value.GetType().IsPrimitive || value is decimal => number.ToString(null, CultureInfo.InvariantCulture),
        var leaf when IsLeaf(leaf.GetType()) => leaf.ToString() ?? "",
        IDictionary map => $"{{{string.Join(", ", map.Keys.Cast<object>().Select(k => k.ToString()).Order(StringComparer.Ordinal))}}}",
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Show))}]",
        _ => ShowRecord(value),
    };

    private static string ShowRecord(object value)
    {
        var kind = Kind(value.GetType());
        var fields = string.Join(", ", Members(value.GetType()).Select(p => $"{Name(p)} {Show(p.GetValue(value))}"));
        return kind.Length > 0 ? $"{kind} {{{fields}}}" : $"{{{fields}}}";
    }

    /// <summary>The name a polymorphic type goes by in JSON (and YAML): "canary" for a <c>CanarySpec</c>.</summary>
    private static string Kind(Type type) =>
        type.BaseType?.GetCustomAttributes<JsonDerivedTypeAttribute>().FirstOrDefault(d => d.DerivedType == type)?.TypeDiscriminator?.ToString() ?? "";

    private static string Join(string path, PropertyInfo property) => path.Length == 0 ? Name(property) : $"{path}.{Name(property)}";

    private static string Name(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
