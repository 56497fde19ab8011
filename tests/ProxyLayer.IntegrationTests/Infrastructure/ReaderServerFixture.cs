
namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>A second server, "db002", standing for a reader hostgroup next to the data-path collection's db001.</summary>
public sealed class ReaderServerFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync(ReplicationTopology.ServerName(2));

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
