namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that measure waits, connection counts or failover timing run alone, after the parallel ones: on a 2-core
/// machine other test classes would otherwise decide their outcome.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveDefinition
{
    public const string Name = "TimingSensitive";
}
