using MySqlConnector;
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

    private static async Task ExpectAsync(MySqlConnection connection, string sql, long expected)
    {
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(expected, reader.GetInt64(0));
    }

    private async Task<int> KillProxyConnectionsAsync()
    {
        var ids = new List<long>();
        await using (var admin = new MySqlConnection(_server.ConnectionString(RigCredentials.AdminUser, RigCredentials.AdminPassword)))
        {
            await admin.OpenAsync();
            await using (var list = new MySqlCommand($"SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '{User}'", admin))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    ids.Add(reader.GetInt64(0));
            }
            foreach (var id in ids)
            {
                await using var kill = new MySqlCommand($"KILL CONNECTION {id}", admin);
                try
                {
                    await kill.ExecuteNonQueryAsync();
                }
                catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchThread)
                {
                }
            }
        }
        return ids.Count;
    }
}
