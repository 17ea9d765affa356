namespace Bollard.IntegrationTests;

/// <summary>
/// Tests that use the extra engines of scripts/engines.sh run one after the other: one of them stops an engine,
/// which another test of the same engines running meanwhile would take for a failure of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ZoneEngines
{
    public const string Name = "zone engines";
}
