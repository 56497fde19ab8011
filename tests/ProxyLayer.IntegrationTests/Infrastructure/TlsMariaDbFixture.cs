namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// One server offering TLS with a certificate from its own CA, with accounts that may only log in over TLS
/// (<c>REQUIRE SSL</c>), so a successful login proves TLS was used; for <c>IClassFixture</c>.
/// </summary>
public sealed class TlsMariaDbFixture : IAsyncLifetime
{
    public const string TlsUser = "tlsapp";
    public const string TlsPassword = "tlspass";
    public const string TlsMonitorUser = "tlsmonitor";
    public const string TlsMonitorPassword = "tlsmonitor";

    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public TestCertificates Certificates => Server.Certificates!;

    public async Task InitializeAsync()
    {
        _server = await MariaDbServer.StartAsync("db-tls", new MariaDbServerOptions { Tls = true });
        await _server.ExecuteAsync($"""
            CREATE USER '{TlsUser}'@'%' IDENTIFIED BY '{TlsPassword}' REQUIRE SSL;
            GRANT ALL PRIVILEGES ON *.* TO '{TlsUser}'@'%';
            CREATE USER '{TlsMonitorUser}'@'%' IDENTIFIED BY '{TlsMonitorPassword}' REQUIRE SSL;
            GRANT REPLICATION CLIENT, SLAVE MONITOR, PROCESS ON *.* TO '{TlsMonitorUser}'@'%';
            SET GLOBAL max_allowed_packet = 64 * 1024 * 1024;
            """);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
