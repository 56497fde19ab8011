using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.DataPath;

/// <summary>Transactions, the current schema, session resets and pings through the proxy.</summary>
[Collection(DataPathDefinition.Name)]
public sealed class SessionStateTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;

    [Fact]
    public async Task Rolled_back_insert_leaves_nothing_and_a_committed_one_stays()
    {
        var table = await Scratch.CreateTableAsync(_server, "tx", "id INT PRIMARY KEY");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();

        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)");
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT COUNT(*) FROM {table}"));
        await ExecuteAsync(connection, "ROLLBACK");

        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT COUNT(*) FROM {table}"));
        Assert.Equal(0L, await Scratch.CountAsync(_server, $"SELECT COUNT(*) FROM {table}"));

        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2)");
        await ExecuteAsync(connection, "COMMIT");
        Assert.Equal(2L, await Scratch.CountAsync(_server, $"SELECT SUM(id) FROM {table}"));
    }

    [Fact]
    public async Task Use_changes_the_schema_the_session_reports()
    {
        var otherDb = await CreateDatabaseAsync("otherdb");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();

        await ExecuteAsync(connection, $"USE {otherDb}");

        Assert.Equal(otherDb, await ScalarAsync(connection, "SELECT DATABASE()"));
        await connection.ChangeDatabaseAsync("testdb"); // COM_INIT_DB
        Assert.Equal("testdb", await ScalarAsync(connection, "SELECT DATABASE()"));
    }

    [Fact]
    public async Task Database_in_the_connection_string_is_the_current_schema()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync(database: "testdb");

        Assert.Equal("testdb", await ScalarAsync(connection, "SELECT DATABASE()"));
        // unqualified names resolve in testdb
        Assert.IsType<long>(await ScalarAsync(connection, "SELECT COUNT(*) FROM insert_test"));
    }

    [Fact]
    public async Task Reset_connection_drops_session_state_and_the_session_keeps_working()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync(database: "testdb");
        await ExecuteAsync(connection, "SET @kept = 42");
        Assert.Equal(42L, await ScalarAsync(connection, "SELECT @kept"));

        await connection.ResetConnectionAsync(); // COM_RESET_CONNECTION

        Assert.Equal(DBNull.Value, await ScalarAsync(connection, "SELECT @kept"));
        Assert.Equal(5L, await ScalarAsync(connection, "SELECT 2 + 3"));
        Assert.True(await connection.PingAsync());
    }

    [Fact]
    public async Task Reset_connection_keeps_the_current_database()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync(database: "testdb");

        await connection.ResetConnectionAsync();
        Assert.Equal("testdb", await ScalarAsync(connection, "SELECT DATABASE()"));

        await using var dataSource = new MySqlDataSourceBuilder(proxy.ConnectionString(database: "testdb", configure: PooledWithReset)).Build();
        await using (var first = await dataSource.OpenConnectionAsync())
            Assert.Equal("testdb", await ScalarAsync(first, "SELECT DATABASE()"));
        await using var reused = await dataSource.OpenConnectionAsync(); // reset with COM_RESET_CONNECTION
        Assert.Equal("testdb", await ScalarAsync(reused, "SELECT DATABASE()"));
    }

    [Fact]
    public async Task Change_user_on_pool_reuse_drops_session_state_and_the_session_keeps_working()
    {
        // For servers older than 5.7.3 MySqlConnector resets a pooled connection with COM_CHANGE_USER.
        await using var proxy = ProxyUnderTest.StartFor(_server, output, [new("mysql-server_version", "5.6.51")]);
        var log = new CapturedLog();
        await using var dataSource = new MySqlDataSourceBuilder(proxy.ConnectionString(database: "testdb", configure: PooledWithReset))
            .UseLoggerFactory(log.Factory)
            .Build();
        int threadId;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            threadId = first.ServerThread;
            await ExecuteAsync(first, "SET @kept = 42");
        }

        await using var second = await dataSource.OpenConnectionAsync();

        Assert.Equal(threadId, second.ServerThread);
        Assert.True(log.Contains("change user request"), "MySqlConnector should have sent COM_CHANGE_USER:\n" + log);
        Assert.Equal(DBNull.Value, await ScalarAsync(second, "SELECT @kept"));
        Assert.Equal("testdb", await ScalarAsync(second, "SELECT DATABASE()"));
        Assert.Equal("appuser@%", await ScalarAsync(second, "SELECT CURRENT_USER()"));
    }

    [Fact]
    public async Task Pooled_connections_with_connection_reset_come_back_clean()
    {
        var otherDb = await CreateDatabaseAsync("pooldb");
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        var log = new CapturedLog();
        await using var dataSource = new MySqlDataSourceBuilder(proxy.ConnectionString(database: "testdb", configure: PooledWithReset))
            .UseLoggerFactory(log.Factory)
            .Build();

        int threadId;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            threadId = first.ServerThread;
            await ExecuteAsync(first, "SET @kept = 1");
            await first.ChangeDatabaseAsync(otherDb); // makes MySqlConnector reset with COM_CHANGE_USER
        }

        await using (var second = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(threadId, second.ServerThread); // the same proxy session, reused from the pool
            Assert.Equal(DBNull.Value, await ScalarAsync(second, "SELECT @kept"));
            Assert.Equal("testdb", await ScalarAsync(second, "SELECT DATABASE()"));
            await ExecuteAsync(second, "SET @kept = 2");
        }

        await using (var third = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(threadId, third.ServerThread);
            Assert.Equal(DBNull.Value, await ScalarAsync(third, "SELECT @kept"));
            // the current database after COM_RESET_CONNECTION: see Reset_connection_keeps_the_current_database
        }

        Assert.True(log.Contains("change user request"), "the first reuse should have used COM_CHANGE_USER:\n" + log);
        Assert.True(log.Contains("reset connection request"), "the second reuse should have used COM_RESET_CONNECTION:\n" + log);
    }

    [Fact]
    public async Task Ping_is_answered_before_and_after_queries()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var connection = await proxy.OpenAsync();

        Assert.True(await connection.PingAsync());
        Assert.Equal(7L, await ScalarAsync(connection, "SELECT 3 + 4"));
        Assert.True(await connection.PingAsync());
        Assert.Equal(8L, await ScalarAsync(connection, "SELECT 4 + 4"));
    }

    private static void PooledWithReset(MySqlConnectionStringBuilder builder)
    {
        builder.Pooling = true;
        builder.ConnectionReset = true;
        builder.MinimumPoolSize = 0;
        builder.MaximumPoolSize = 1;
    }

    private async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await _server.ExecuteAsync($"CREATE DATABASE {name}");
        return name;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is int or short or sbyte ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value;
    }
}
