using System.Reflection;
using System.Runtime.InteropServices;

namespace Bollard;

/// <summary>What this build of bollard is: version, the commit it was built from, the day it was built, and what it runs on.</summary>
internal sealed record BuildInfo(string Version, string Commit, string BuildDate, string Runtime, string Os, string Architecture)
{
    public static BuildInfo Current { get; } = Read(typeof(BuildInfo).Assembly);

    private static BuildInfo Read(Assembly assembly)
    {
        // "1.2.3+<commit>" when built from a git checkout (the SDK adds the commit), "1.2.3" otherwise.
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var (version, commit) = informational.Split('+', 2) is [var v, var c] ? (v, c) : (informational, "unknown");
        var built = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BuildDate")?.Value ?? "unknown";
        return new BuildInfo(
            version,
            commit,
            built,
            RuntimeInformation.FrameworkDescription,
            OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant());
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public string ShortCommit => Commit.Length > 12 ? Commit[..12] : Commit;
}
