using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>schema_locked=1 keeps a session in the user's default_schema; an unlocked user shows the switches work.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class SchemaLockedTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const string LockedUser = "lockeduser";
    private const string LockedPassword = "lockedpass";
    private readonly MariaDbServer _server = fixture.Server;

    private async Task<ProxyUnderTest> StartAsync()
    {
        await Scratch.CreateUserAsync(_server, LockedUser, LockedPassword);
        return ProxyUnderTest.StartFor(_server, output,
            extraUsers: [ProxyUnderTest.User(LockedUser, LockedPassword) with { SchemaLocked = true, DefaultSchema = "testdb" }]);
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql) =>
        await new MySqlCommand(sql, connection).ExecuteScalarAsync();

    [Fact]
    public async Task Use_and_init_db_to_another_schema_are_refused_and_the_session_stays()
    {
        await using var proxy = await StartAsync();
        await using var locked = new MySqlConnection(proxy.ConnectionString(LockedUser, LockedPassword));
        await locked.OpenAsync();
        Assert.Equal("testdb", await ScalarAsync(locked, "SELECT DATABASE()"));

        var use = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(locked, "USE information_schema"));
        Assert.Equal(1044, use.Number);
        Assert.Equal("42000", use.SqlState);
        Assert.Contains("schema_locked to 'testdb'", use.Message, StringComparison.Ordinal);
        var initDb = await Assert.ThrowsAsync<MySqlException>(() => locked.ChangeDatabaseAsync("information_schema"));
        Assert.Equal(1044, initDb.Number);

        Assert.Equal("testdb", await ScalarAsync(locked, "SELECT DATABASE()"));
        await ScalarAsync(locked, "USE `testdb`"); // its own schema is fine
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(locked, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'testdb'"),
            System.Globalization.CultureInfo.InvariantCulture)); // qualified names are not affected

        await using var unlocked = await proxy.OpenAsync();
        await ScalarAsync(unlocked, "USE information_schema");
        Assert.Equal("information_schema", await ScalarAsync(unlocked, "SELECT DATABASE()"));
    }

    [Fact]
    public async Task Change_user_to_a_locked_user_naming_another_database_is_refused_and_the_session_stays()
    {
        await using var proxy = await StartAsync();
        await using var client = await RawMySqlClient.LoginAsync(proxy.Endpoint, RigCredentials.AppUser, RigCredentials.AppPassword);

        var refused = await client.ChangeUserAsync(LockedUser, LockedPassword, "information_schema");

        Assert.Equal(1044, refused.Error.Code);
        Assert.Contains("schema_locked to 'testdb'", refused.Error.Message, StringComparison.Ordinal);
        // As after a wrong password: still logged in as before.
        await client.SendQueryAsync("SELECT CURRENT_USER()");
        Assert.Equal(RigCredentials.AppUser + "@%", (await client.ReadTextResultSetAsync())[0][0]);
        Assert.True((await client.ChangeUserAsync(LockedUser, LockedPassword, "testdb")).IsOk);
    }

    [Fact]
    public async Task A_login_naming_another_database_is_refused()
    {
        await using var proxy = await StartAsync();

        var error = await Assert.ThrowsAsync<MySqlException>(async () =>
        {
            await using var connection = new MySqlConnection(proxy.ConnectionString(LockedUser, LockedPassword, "information_schema"));
            await connection.OpenAsync();
        });
        Assert.Equal(1044, error.Number);

        await using var own = new MySqlConnection(proxy.ConnectionString(LockedUser, LockedPassword, "testdb"));
        await own.OpenAsync();
        Assert.Equal("testdb", await ScalarAsync(own, "SELECT DATABASE()"));
    }
}
