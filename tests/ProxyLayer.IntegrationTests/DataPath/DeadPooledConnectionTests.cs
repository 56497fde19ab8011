using MySqlConnector;
using ProxyLayer.IntegrationTests.Fidelity;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>
/// Pooled backend connections the server has closed meanwhile. A read may be handed one without asking the kernel
/// (the epoll engine's news is trusted, see <c>BackendConnection.IsUsableAfterIdle</c>): whether the proxy learnt of
/// the close before the statement or only from its failed read (which of the two happens is up to the loop's timing),
/// the client gets its answer.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class DeadPooledConnectionTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const string User = "deadpool";
    private const string Password = "deadpool-pw";
    private const int Clients = 6;
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Reads_are_answered_right_after_the_server_killed_every_pooled_connection()
    {
        await Scratch.CreateUserAsync(_server, User, Password);
        await using var proxy = ProxyUnderTest.StartFor(_server, output, extraUsers: [ProxyUnderTest.User(User, Password)]);
        var clients = new List<MySqlConnection>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var connection = new MySqlConnection(proxy.ConnectionString(User, Password));
                await connection.OpenAsync();
                clients.Add(connection);
            }
            for (var round = 0; round < 10; round++)
            {
                // Several pooled connections: the clients' reads overlap.
                await Task.WhenAll(clients.Select((c, i) => ExpectAsync(c, $"SELECT {round * 100 + i}, SLEEP(0.05)", round * 100 + i)));
                var killed = await KillProxyConnectionsAsync();
                Assert.True(killed > 0, "the proxy had no backend connection to kill");
                // At once: some of these reads find the close already seen, others find it only by reading.
                await Task.WhenAll(clients.Select((c, i) => ExpectAsync(c, $"SELECT {round * 100 + 50 + i}", round * 100 + 50 + i)));
            }
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    private static async Task ExpectAsync(MySqlConnection connection, string sql, long expected) =>
        Assert.Equal(expected, Convert.ToInt64(await ClientSql.ScalarAsync(connection, sql)));

    private async Task<int> KillProxyConnectionsAsync()
    {
        var list = (string?)await _server.QueryScalarAsync(
            $"SELECT GROUP_CONCAT(ID) FROM information_schema.PROCESSLIST WHERE USER = '{User}'");
        var ids = list?.Split(',') ?? [];
        foreach (var id in ids)
        {
            try
            {
                await _server.ExecuteAsync($"KILL CONNECTION {id}");
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchThread)
            {
            }
        }
        return ids.Length;
    }
}
