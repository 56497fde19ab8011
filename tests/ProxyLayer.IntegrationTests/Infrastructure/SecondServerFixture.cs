namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// A second, independent server ("db002", not replicating) for tests that need two hostgroups whose servers can be
/// told apart (by <c>@@port</c>) and hold different data; for <c>IClassFixture</c> next to the data-path server.
/// </summary>
public sealed class SecondServerFixture : IAsyncLifetime
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
