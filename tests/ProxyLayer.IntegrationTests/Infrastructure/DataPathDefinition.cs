namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// The data-path tests share one MariaDB server and run one class at a time: they measure timings and count
/// backend connections, which concurrent classes on a small machine would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DataPathDefinition : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "DataPath";
}
