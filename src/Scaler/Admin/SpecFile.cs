namespace Bollard.Scaler.Admin;

/// <summary>One YAML text (one or more documents) as sent to the API; <paramref name="Name"/> locates its errors.</summary>
public sealed record SpecFile(string Name, string Text);

/// <summary>The JSON form of a request carrying spec files.</summary>
public sealed record SpecFilesRequest(IReadOnlyList<SpecFile> Files);

/// <summary>Every service of a valid set of specs.</summary>
public sealed record ValidationResult(IReadOnlyList<ValidatedService> Services);

/// <param name="Name">The service.</param>
/// <param name="Source">The file it was read from.</param>
/// <param name="Version">Its immutable version id.</param>
/// <param name="Replicas">Its replica count, or range ("2..10").</param>
public sealed record ValidatedService(string Name, string Source, string Version, string Replicas);
