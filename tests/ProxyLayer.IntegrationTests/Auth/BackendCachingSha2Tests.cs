using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Protocol.Auth;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Auth;

/// <summary>
/// The proxy's own caching_sha2_password client (towards MySQL 8 servers). No server here offers that plugin (MariaDB
/// does not, and Debian ships no MySQL 8), so the server side is a second proxy: its caching_sha2_password server is
/// itself checked against two independent clients (MySqlConnector and libmariadb, <see cref="ClientAuthTests"/>), and
/// it runs MySQL's exchange as MySQL documents it: full authentication with the RSA key asked for, then the fast path.
/// Client → front proxy (clear-text user) → back proxy (user stored as <c>$A$005$</c>) → MariaDB.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class BackendCachingSha2Tests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const string Password = "Chain-Pw-3e8b0";
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Proxy_logs_in_to_a_caching_sha2_server_by_rsa_full_authentication_then_by_the_fast_path()
    {
        await AuthServer.CreateNativeUserAsync(_server, "chain", Password);
        await using var back = ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(_server.Port,
            [new("mysql-default_authentication_plugin", "caching_sha2_password")],
            [ProxyUnderTest.User("chain", CachingSha2Hash.HashPassword(Password))]), output);
        // The back proxy makes its RSA key on the first full authentication: on a loaded machine that can pass 1 s.
        await using var front = ProxyUnderTest.Start(ProxyUnderTest.ConfigFor(back.Port,
            [new("mysql-connect_timeout_server", "10000")], [ProxyUnderTest.User("chain", Password)]), output);

        // The first backend connection: the back proxy knows no password yet, so the front one does a full
        // authentication, asking for the RSA key; the second, opened while the first is held by a transaction, is
        // accepted on the fast path.
        await using var first = new MySqlConnection(front.ConnectionString("chain", Password));
        await first.OpenAsync();
        await using (var begin = new MySqlCommand("BEGIN; SELECT CURRENT_USER();", first))
            Assert.Equal("chain@%", await begin.ExecuteScalarAsync());
        await using var second = new MySqlConnection(front.ConnectionString("chain", Password));
        await second.OpenAsync();
        await using (var who = new MySqlCommand("SELECT CURRENT_USER()", second))
            Assert.Equal("chain@%", await who.ExecuteScalarAsync());
        Assert.Equal(2, front.Backend.ConnectOk);
        Assert.Equal(0, front.Backend.ConnectErrors);
    }
}
