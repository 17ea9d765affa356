using System.Text;

namespace Bollard.IntegrationTests.Security;

/// <summary>Malformed inputs for the admin API: seeded mutations of valid bodies, and hostile classics.</summary>
internal static class Corpus
{
    private static readonly string[] Fragments =
    [
        "&a ", "*a", "*undefined", "<<: *a", "{", "}", "[", "]", ": ", "- ", "!!binary ", "!bollard ", "%YAML 1.1\n", "---\n", "...\n",
        "\t", "\0", "\u2028", "\uFEFF", "'", "\"", "\\", "#", "|", ">-", "? ", "99999999999999999999999", "-1", "1e309", "0x1F",
        "~", "null", "true", "\n  ", "\r\n", "\u00e9", "\ud83d\ude00", "{{", "}}", "${HOME}", "%s%n",
    ];

    /// <summary>One mutation of <paramref name="text"/>: a cut, an insertion of a YAML/JSON fragment, a deletion, a character replaced, or several.</summary>
    public static string Mutate(string text, Random random)
    {
        var result = new StringBuilder(text);
        for (var edits = random.Next(1, 4); edits > 0 && result.Length > 0; edits--)
        {
            var at = random.Next(result.Length);
            switch (random.Next(5))
            {
                case 0:
                    result.Length = at;
                    break;
                case 1:
                    result.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    result.Remove(at, Math.Min(result.Length - at, random.Next(1, 20)));
                    break;
                case 3:
                    result[at] = (char)random.Next(1, 0x7F);
                    break;
                default:
                    result.Insert(at, new string(result[at], random.Next(1, 300)));
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>Specs and non-specs that have hurt YAML readers elsewhere.</summary>
    public static IEnumerable<string> Hostile()
    {
        var laughs = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            laughs.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(", ", Enumerable.Repeat($"*{(char)(level - 1)}", 9))).Append("]\n");
        }

        yield return laughs.ToString();
        yield return new string('[', 100_000);
        yield return new string('{', 100_000);
        yield return string.Concat(Enumerable.Repeat("- ", 50_000));
        yield return string.Concat(Enumerable.Repeat("---\n", 50_000));
        yield return "a: &a\n  b: *a\n";
        yield return "name: web\nimage: x:1\nport: 80\nenv: &e {A: *e}\n";
        yield return "name: !!python/object/apply:os.system ['id']\nimage: x:1\nport: 80\n";
        yield return "name: web\nimage: x:1\nport: 80\nreplicas: 1e400\n";
        yield return "name: web\nimage: \"\\uD800\"\nport: 80\n";
        yield return "\0\0\0\0";
        yield return "name: web\nimage: x:1\nport: 80\nsecurity: {capabilities: {add: [ALL]}}\n";
        yield return "name: web\nimage: x:1\nport: 80\nenvFrom: {file: ../../etc/shadow}\n";
        yield return "%TAG ! tag:evil.example,2000:\n--- !foo\nname: web\n";
        yield return "? " + new string('k', 200_000) + "\n: v\n";
        yield return "name: web\nimage: x:1\nport: 80\nenv:\n  " + string.Join("\n  ", Enumerable.Range(0, 5000).Select(i => $"1BAD{i}: x")) + "\n";
    }

    public static IEnumerable<string> HostileJson()
    {
        yield return string.Concat(Enumerable.Repeat("[", 100_000));
        yield return string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        yield return "{\"files\":[" + string.Join(",", Enumerable.Repeat("null", 10_000)) + "]}";
        yield return "{\"files\":\"not a list\"}";
        yield return "{\"image\":\"\"}";
        yield return "{\"image\":123}";
        yield return "{\"image\":\"x\",\"image\":\"y\"";
        yield return "\"just a string\"";
        yield return "null";
        yield return "{\"spec\":{\"name\":null,\"text\":null}}";
        yield return "\uFEFF{";
        yield return "{\"files\":[{\"name\":\"../../etc/passwd\",\"text\":\"name: [\"}]}";
    }

    /// <summary>Content types, from plausible to nonsense (valid header syntax: the client sends them as they are).</summary>
    public static IEnumerable<string> ContentTypes(Random random)
    {
        string[] fixedOnes =
        [
            "text/yaml; charset=utf-16", "text/yaml; charset=nonsense", "application/json; charset=latin1", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "text/yaml;;;", "text/yaml; boundary=\"", "*/*", "application/json+yaml", "image/png",
            "TEXT/YAML", "application/yaml; q=0.1", "text", "/", ";", "text/yaml, application/json",
        ];
        foreach (var type in fixedOnes)
        {
            yield return type;
        }

        while (true)
        {
            yield return Mutate(random.Next(2) == 0 ? "text/yaml; charset=utf-8" : "application/json", random).Replace('\r', ' ').Replace('\n', ' ').Replace('\0', ' ');
        }
    }

    /// <summary>Raw requests no HTTP client library would send.</summary>
    public static IEnumerable<string> RawRequests(string service, string token)
    {
        var auth = $"Authorization: Bearer {token}\r\n";
        yield return $"POST /v1/apply HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: text/yaml\r\nContent-Length: 100\r\n\r\nname: short";
        yield return $"POST /v1/apply HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: text/yaml\r\nContent-Length: -5\r\n\r\n";
        yield return $"POST /v1/apply HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: text/yaml\r\nContent-Length: 99999999999999999999\r\n\r\n";
        yield return $"POST /v1/apply HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: text/yaml\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nname\r\n0\r\n\r\n";
        yield return $"POST /v1/apply HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: text/yaml\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        yield return $"POST /v1/services/{service}/rollout HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{{";
        yield return $"POST /v1/plan HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: text/yaml\r\nX-Bad header: 1\r\n\r\n";
        yield return $"GARBAGE /v1/apply HTTP/1.1\r\nHost: x\r\n{auth}\r\n";
        yield return "GET /v1/\u0001 HTTP/1.1\r\nHost: x\r\n\r\n";
        yield return "POST /v1/apply HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-H{i}: v\r\n")) + "\r\n";
        yield return $"POST /v1/apply\0 HTTP/1.1\r\nHost: x\r\n{auth}\r\n";
    }
}
