namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>One server, "db001", with the rig accounts and <c>testdb.insert_test</c>; for <c>IClassFixture</c>.</summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync(ReplicationTopology.ServerName(1));

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
