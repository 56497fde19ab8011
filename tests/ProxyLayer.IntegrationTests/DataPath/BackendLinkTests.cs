using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// <c>mysql_servers.use_ssl</c> and <c>.compression</c> against a real server: the client talks plain MySQL to the
/// proxy, the proxy TLS and/or the compressed protocol to the backend. The server's own session status says what
/// the backend connection really uses; the TLS-only accounts prove that a login went over TLS.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed partial class BackendLinkTests(MariaDbFixture plain, TlsMariaDbFixture fixture, ITestOutputHelper output)
    : IClassFixture<TlsMariaDbFixture>
{
    private readonly MariaDbServer _server = fixture.Server;

    private ProxyUnderTest StartProxy(MariaDbServer server, bool useSsl, bool compression, params (string Name, string Value)[] variables)
    {
        var config = ProxyUnderTest.ConfigFor(server.Port, variables.Select(v => KeyValuePair.Create(v.Name, v.Value)),
            [ProxyUnderTest.User(TlsMariaDbFixture.TlsUser, TlsMariaDbFixture.TlsPassword)]);
        config = config with { Servers = [config.Servers[0] with { UseSsl = useSsl, Compression = compression }] };
        return ProxyUnderTest.Start(config, output);
    }

    private static async Task<MySqlConnection> OpenAsTlsUserAsync(ProxyUnderTest proxy)
    {
        var connection = new MySqlConnection(proxy.ConnectionString(TlsMariaDbFixture.TlsUser, TlsMariaDbFixture.TlsPassword));
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> SessionStatusAsync(MySqlConnection connection, string name)
    {
        // Read through information_schema: a SHOW SESSION STATUS would move the session to a connection of its own.
        await using var command = new MySqlCommand(
            $"SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = '{name}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no status variable {name}");
        return reader.GetString(0);
    }

    /// <summary>
    /// Sessions one after another share one backend connection: an idle TLS or compressed connection must not look
    /// dead to the pool's check (a TLS 1.3 session ticket left unread in the socket would).
    /// </summary>
    private static async Task AssertConnectionIsReusedAsync(ProxyUnderTest proxy, Func<Task<MySqlConnection>> open)
    {
        string? firstId = null;
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await open();
            await using var command = new MySqlCommand("SELECT @@pseudo_thread_id", connection);
            var id = Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            firstId ??= id;
            Assert.Equal(firstId, id);
            await connection.CloseAsync();
            Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Backend.IdleConnections == 1), TimeSpan.FromSeconds(10)),
                "the backend connection did not go back to the pool");
        }
        Assert.Equal(1, proxy.Backend.ConnectOk);
    }

    private Task AssertBlobRoundTripsAsync(MySqlConnection connection) => LargeTransfers.AssertBlobRoundTripsAsync(_server, connection);

    private static Task AssertLargeResultSetAsync(MySqlConnection connection) => LargeTransfers.AssertLargeResultSetAsync(connection);
}
