using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>An idle backend connection of one user serves another after COM_CHANGE_USER instead of a new connect.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class ChangeUserReuseTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task A_second_user_is_served_by_the_first_users_idle_connection_logged_in_again()
    {
        await Scratch.CreateUserAsync(_server, "cu_alice", "alice-pw");
        await Scratch.CreateUserAsync(_server, "cu_bob", "bob-pw");
        await using var proxy = ProxyUnderTest.StartFor(_server, output,
            extraUsers: [ProxyUnderTest.User("cu_alice", "alice-pw"), ProxyUnderTest.User("cu_bob", "bob-pw")]);

        var (aliceUser, aliceId) = await WhoAmIAsync(proxy, "cu_alice", "alice-pw", "SET time_zone = '+05:00'");
        var (bobUser, bobId) = await WhoAmIAsync(proxy, "cu_bob", "bob-pw", null);

        Assert.Equal("cu_alice@%", aliceUser);
        Assert.Equal("cu_bob@%", bobUser);
        Assert.Equal(aliceId, bobId);
        Assert.Equal(1, proxy.Backend.OpenConnections);
        Assert.Equal(1, proxy.Backend.ConnectOk);

        // The first user's session state did not follow the connection to the second one.
        await using var bob = await OpenAsync(proxy, "cu_bob", "bob-pw");
        Assert.Equal("SYSTEM", await new MySqlCommand("SELECT @@time_zone", bob).ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_user_the_backend_refuses_gets_its_error_and_the_pool_keeps_serving()
    {
        await Scratch.CreateUserAsync(_server, "cu_carol", "carol-pw");
        await using var proxy = ProxyUnderTest.StartFor(_server, output,
            extraUsers: [ProxyUnderTest.User("cu_carol", "carol-pw"), ProxyUnderTest.User("cu_nobody", "nobody-pw")]);
        await WhoAmIAsync(proxy, "cu_carol", "carol-pw", null);

        // cu_nobody exists in the proxy only: the backend refuses both COM_CHANGE_USER and the connect that follows.
        // (MySqlConnector's open already sends a statement, so the error may come there.)
        var error = await Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var nobody = await OpenAsync(proxy, "cu_nobody", "nobody-pw");
            await new MySqlCommand("SELECT 1", nobody).ExecuteScalarAsync();
        });
        // 1045, or 1698 when the server also has a passwordless account that the name could match.
        Assert.Contains(error.Number, new[] { 1045, 1698 });

        var (carolUser, _) = await WhoAmIAsync(proxy, "cu_carol", "carol-pw", null);
        Assert.Equal("cu_carol@%", carolUser);
    }

    private static async Task<(string User, long ConnectionId)> WhoAmIAsync(ProxyUnderTest proxy, string user, string password, string? first)
    {
        await using var connection = await OpenAsync(proxy, user, password);
        if (first is not null)
            await new MySqlCommand(first, connection).ExecuteNonQueryAsync();
        await using var reader = await new MySqlCommand("SELECT CURRENT_USER(), CONNECTION_ID()", connection).ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<MySqlConnection> OpenAsync(ProxyUnderTest proxy, string user, string password)
    {
        var connection = new MySqlConnection(proxy.ConnectionString(user, password));
        await connection.OpenAsync();
        return connection;
    }
}
