namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// A primary and two replicas for <c>IClassFixture</c>. Shared by the tests of a class, so those tests
/// must leave the roles as they found them; tests that fail over start their own <see cref="ReplicationTopology"/>.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private ReplicationTopology? _topology;

    public ReplicationTopology Topology => _topology ?? throw new InvalidOperationException("The fixture is not initialized.");

    public MariaDbServer Primary => Topology.Primary;

    public IReadOnlyList<MariaDbServer> Replicas => Topology.Replicas;

    public async Task InitializeAsync() => _topology = await ReplicationTopology.StartAsync(replicas: 2);

    public async Task DisposeAsync()
    {
        if (_topology is not null)
            await _topology.DisposeAsync();
    }
}
