using System.Collections;
using System.Reflection;

namespace Bollard.Agent.Reload;

/// <summary>
/// Which fields of two configs differ, by name: property by property, into nested records, lists compared item by item.
/// Names are the YAML ones (camelCase of the property, dotted for nested blocks), unless <c>names</c> says otherwise.
/// </summary>
internal static class ConfigDifferences
{
    public static IReadOnlyList<string> Of<T>(T before, T after, IReadOnlyDictionary<string, string>? names = null, IReadOnlySet<string>? ignored = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var differences = new List<string>();
        Compare(typeof(T), before, after, "", names, ignored, differences);
        return differences;
    }

    private static void Compare(Type type, object before, object after, string prefix, IReadOnlyDictionary<string, string>? names, IReadOnlySet<string>? ignored, List<string> differences)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsField))
        {
            if (ignored?.Contains(property.Name) == true)
            {
                continue;
            }

            var name = prefix + (names?.GetValueOrDefault(property.Name) ?? JsonName(property.Name));
            var a = property.GetValue(before);
            var b = property.GetValue(after);
            if (a is not null && b is not null && IsRecord(property.PropertyType))
            {
                Compare(property.PropertyType, a, b, name + ".", null, null, differences);
            }
            else if (!Same(a, b))
            {
                differences.Add(name);
            }
        }
    }

    // A field of the config is a settable (init) property; a computed one (e.g. the listeners in force, derived from
    // listen and listeners) would only repeat the difference of the fields it is computed from.
    private static bool IsField(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0 && property.SetMethod is not null;

    private static bool Same(object? a, object? b) =>
        a is IEnumerable first && b is IEnumerable second && a is not string
            ? first.Cast<object?>().SequenceEqual(second.Cast<object?>())
            : Equals(a, b);

    // A record has a compiler-generated EqualityContract; its fields are compared one by one, for their names.
    private static bool IsRecord(Type type) =>
        type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null;

    private static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];
}
