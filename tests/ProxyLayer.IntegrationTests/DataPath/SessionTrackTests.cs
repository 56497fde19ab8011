using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// The session-tracking variables a client reads through the proxy are the ones it would read on the server itself:
/// the server's defaults, or what the client set, never what the proxy or an earlier session left on a pooled
/// backend connection.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class SessionTrackTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const string Variables =
        "SELECT @@session_track_system_variables, @@session_track_schema, @@session_track_state_change, @@session_track_transaction_info";

    private readonly MariaDbServer _server = fixture.Server;

    private static async Task<string> RowAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The backend connection's thread id (CONNECTION_ID() answers the proxy's session id).</summary>
    private static async Task<long> BackendThreadAsync(MySqlConnection connection) =>
        Convert.ToInt64(await new MySqlCommand("SELECT @@pseudo_thread_id", connection).ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Tracking_variables_read_as_on_the_server_and_a_clients_own_setting_stays_its_own()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var direct = await _server.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);
        var serverDefaults = await RowAsync(direct, Variables);

        long backendConnection;
        await using (var first = await proxy.OpenAsync())
        {
            Assert.Equal(serverDefaults, await RowAsync(first, Variables));
            await using (var set = new MySqlCommand("SET session_track_system_variables = 'time_zone', session_track_state_change = ON", first))
                await set.ExecuteNonQueryAsync();
            Assert.Equal("time_zone | 1 | 1 | OFF", await RowAsync(first, Variables));
            backendConnection = await BackendThreadAsync(first);
        }

        // The next session gets the same pooled backend connection, and the server's defaults on it. The proxy hands
        // the connection back when it sees the first client leave, which under load can come after the next login.
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Backend.IdleConnections == 1), TimeSpan.FromSeconds(10)),
            "the first session's backend connection never came back to the pool");
        await using var second = await proxy.OpenAsync();
        Assert.Equal(backendConnection, await BackendThreadAsync(second));
        Assert.Equal(serverDefaults, await RowAsync(second, Variables));
        Assert.Equal(1, proxy.Backend.ConnectOk);
    }
}
