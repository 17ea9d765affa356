using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Admin;

/// <summary>
/// Every single-field change of a spec, found by walking its properties the way a plan must: for each settable
/// property (nested records, collections, polymorphic strategies, null and non-null alike), a copy of the spec with
/// that one field different, and the field's path. A property of a type it cannot change fails loudly, so a new
/// field of a new kind is looked at, not skipped.
/// </summary>
internal static class SpecVariations
{
    public static IEnumerable<(string Path, ServiceSpec Spec)> Of(ServiceSpec spec) =>
        Members(typeof(ServiceSpec)).SelectMany(p => Vary(Name(p), p.GetValue(spec), p).Select(v => (v.Path, (ServiceSpec)With(spec, p, v.Value))));

    private static IEnumerable<(string Path, object? Value)> Vary(string path, object? value, PropertyInfo property)
    {
        if (value is null)
        {
            yield return (path, Create(property.PropertyType, path));
            yield break;
        }

        if (System.Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable))
        {
            yield return (path, null);
        }

        if (Leaf(value) is { } changed)
        {
            yield return (path, changed);
            yield break;
        }

        if (value is IEnumerable and not string)
        {
            yield return (path, Collection(value, path));
            yield break;
        }

        if (value is ServiceEnvironment env)
        {
            // Its values are secrets and it is no record: a value changed, a variable added, an env file added.
            yield return (path, env.Values.Count > 0 ? env.With(env.Values.Keys.First(), "changed-by-test") : env.With("ADDED_BY_TEST", "x"));
            yield return (path, env.With("ADDED_BY_TEST", "x"));
            yield return (path, ServiceEnvironment.Of(env.Values, [.. env.Files, "/etc/bollard/added-by-test.env"]));
            yield break;
        }

        var found = 0;
        foreach (var other in DerivedTypes(property.PropertyType).Where(t => t != value.GetType()))
        {
            found++;
            yield return (path, Create(other, path));
        }

        foreach (var member in Members(value.GetType()))
        {
            foreach (var (childPath, child) in Vary(Join(path, member), member.GetValue(value), member))
            {
                found++;
                yield return (childPath, With(value, member, child));
            }
        }

        if (found == 0)
        {
            // A type whose parts cannot be set one by one (no record, no init properties): it must be taught.
            throw Unknown(value.GetType(), path);
        }
    }

    private static object? Leaf(object value) => value switch
    {
        int i => i + 1,
        long l => l + 1,
        double d => d + 0.5,
        bool b => !b,
        string s => s + "x",
        TimeSpan t => t + TimeSpan.FromSeconds(1),
        Enum e => NextEnum(e),
        _ => null,
    };

    private static object NextEnum(Enum value)
    {
        var values = Enum.GetValues(value.GetType());
        return values.GetValue((Array.IndexOf(values, value) + 1) % values.Length)!;
    }

    private static object Collection(object value, string path)
    {
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>) && value is ImmutableSortedDictionary<string, string> map)
        {
            return map.Add("ADDED_BY_TEST", "x");
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            var items = ((IEnumerable)value).Cast<object>().ToList();
            return Rebuild(type, type.GetGenericArguments()[0], items.Count > 0 ? items[..^1] : [Create(type.GetGenericArguments()[0], path)], path);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueList<>))
        {
            var items = ((IEnumerable)value).Cast<object>().ToList();
            return Rebuild(type, type.GetGenericArguments()[0], items.Count > 0 ? items[..^1] : [Create(type.GetGenericArguments()[0], path)], path);
        }

        throw Unknown(type, path);
    }

    private static object Rebuild(Type type, Type item, List<object> items, string path)
    {
        var array = Array.CreateInstance(item, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            array.SetValue(items[i], i);
        }

        if (type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            return typeof(ImmutableArray).GetMethods().Single(m => m.Name == nameof(ImmutableArray.Create) && m.GetParameters() is [{ ParameterType.IsArray: true }])
                .MakeGenericMethod(item).Invoke(null, [array])!;
        }

        return typeof(ValueList).GetMethod(nameof(ValueList.From))!.MakeGenericMethod(item).Invoke(null, [array]) ?? throw Unknown(type, path);
    }

    /// <summary>A new value of <paramref name="type"/>: a plain value, its parameterless constructor, one whose
    /// parameters all have defaults, or for an abstract type its first derived type.</summary>
    private static object Create(Type type, string path)
    {
        type = System.Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "x";
        }

        if (type.IsValueType)
        {
            return Leaf(Activator.CreateInstance(type)!) ?? throw Unknown(type, path);
        }

        if (type.IsAbstract)
        {
            return Create(DerivedTypes(type).FirstOrDefault() ?? throw Unknown(type, path), path);
        }

        // A parameterless constructor, or one whose parameters have defaults, or the shortest with values made up.
        var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Count(p => !p.HasDefaultValue)).ThenBy(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw Unknown(type, path);
        return constructor.Invoke([.. constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : Create(p.ParameterType, $"{path}({p.Name})"))]);
    }

    private static object With(object record, PropertyInfo property, object? value)
    {
        var clone = record.GetType().GetMethod("<Clone>$")?.Invoke(record, null) ?? throw Unknown(record.GetType(), property.Name);
        property.SetValue(clone, value);
        return clone;
    }

    private static IEnumerable<Type> DerivedTypes(Type type) =>
        type.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(d => d.DerivedType);

    private static IEnumerable<PropertyInfo> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.Name != nameof(ServiceSpec.Source));

    private static string Join(string path, PropertyInfo property) => path.Length == 0 ? Name(property) : $"{path}.{Name(property)}";

    private static string Name(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static InvalidOperationException Unknown(Type type, string path) =>
        new($"the test cannot make a different {type.Name} for '{path}': teach SpecVariations how, so that the plan is shown to compare this field");
}
