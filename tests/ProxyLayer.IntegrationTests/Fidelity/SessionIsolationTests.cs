using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Fidelity;

/// <summary>
/// What a pooled backend connection must not carry from one client to the next: warnings, status counters,
/// profiles; and a new session starts from the server's current global values.
/// </summary>
[Collection(DataPathDefinition.Name)]
public sealed class SessionIsolationTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private readonly MariaDbServer _server = fixture.Server;


    private static async Task<List<string>> ColumnAsync(MySqlConnection connection, string sql, int column)
    {
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    [Fact]
    public async Task Show_warnings_does_not_show_the_previous_clients_note()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using (var first = await proxy.OpenAsync())
        {
            await ClientSql.ScalarAsync(first, "SELECT CAST('12abc' AS SIGNED)"); // warning 1292
            Assert.NotEmpty(await ColumnAsync(first, "SHOW WARNINGS", 1));
        }
        Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Backend.IdleConnections == 1), TimeSpan.FromSeconds(5)));

        await using var second = await proxy.OpenAsync();
        Assert.Empty(await ColumnAsync(second, "SHOW WARNINGS", 1));
        Assert.Equal(0L, Convert.ToInt64(await ClientSql.ScalarAsync(second, "SELECT @@warning_count")));
        Assert.Equal(1, proxy.Backend.OpenConnections); // the same pooled connection served both
    }

    [Fact]
    public async Task Show_profiles_lists_only_this_sessions_statements()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using (var first = await proxy.OpenAsync())
        {
            await ClientSql.ScalarAsync(first, "SET profiling = 1");
            await ClientSql.ScalarAsync(first, "SELECT 'first client statement'");
            Assert.Contains(await ColumnAsync(first, "SHOW PROFILES", 2), q => q.Contains("first client statement", StringComparison.Ordinal));
        }

        await using var second = await proxy.OpenAsync();
        await ClientSql.ScalarAsync(second, "SET profiling = 1");
        await ClientSql.ScalarAsync(second, "SELECT 'second client statement'");
        var profiles = await ColumnAsync(second, "SHOW PROFILES", 2);
        Assert.DoesNotContain(profiles, q => q.Contains("first client statement", StringComparison.Ordinal));
        Assert.Contains(profiles, q => q.Contains("second client statement", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Session_status_counters_start_at_zero_after_reset_connection()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var other = await proxy.OpenAsync();
        for (var i = 0; i < 5; i++)
            await ClientSql.ScalarAsync(other, "SELECT 1");
        await using var connection = await proxy.OpenAsync();
        for (var i = 0; i < 3; i++)
            await ClientSql.ScalarAsync(connection, "SELECT 1");

        await connection.ResetConnectionAsync();

        var comSelect = await ColumnAsync(connection, "SHOW SESSION STATUS LIKE 'Com_select'", 1);
        Assert.Equal("0", comSelect.Single());
        await ClientSql.ScalarAsync(connection, "SELECT 2");
        await ClientSql.ScalarAsync(other, "SELECT 2");
        Assert.Equal("1", (await ColumnAsync(connection, "SHOW STATUS LIKE 'Com_select'", 1)).Single());
    }

    [Fact]
    public async Task Flush_status_then_counters_count_this_sessions_statements_only()
    {
        await using var proxy = ProxyUnderTest.StartFor(_server, output);
        await using var other = await proxy.OpenAsync();
        await using var connection = await proxy.OpenAsync();

        await ClientSql.ScalarAsync(connection, "FLUSH STATUS");
        for (var i = 0; i < 4; i++)
        {
            await ClientSql.ScalarAsync(connection, "SELECT 1");
            await ClientSql.ScalarAsync(other, "SELECT 1");
        }
        Assert.Equal("4", (await ColumnAsync(connection, "SHOW STATUS LIKE 'Com_select'", 1)).Single());
    }

    [Fact]
    public async Task A_session_opened_after_set_global_sees_the_new_values()
    {
        var before = Convert.ToInt64(await _server.QueryScalarAsync("SELECT @@global.net_buffer_length"));
        var wanted = before == 32768 ? 65536 : 32768;
        var sqlModeBefore = Convert.ToString(await _server.QueryScalarAsync("SELECT @@global.sql_mode"));
        var packetBefore = Convert.ToInt64(await _server.QueryScalarAsync("SELECT @@global.max_allowed_packet"));
        var packetWanted = packetBefore == 33554432 ? 67108864 : 33554432;
        await using var proxy = ProxyUnderTest.StartFor(_server, output,
            extraUsers: [ProxyUnderTest.User(RigCredentials.AdminUser, RigCredentials.AdminPassword)]);
        try
        {
            // Three pooled connections opened before the change (one may be taken over by the admin's change-user).
            var warm = new List<MySqlConnection>();
            for (var i = 0; i < 3; i++)
            {
                var connection = await proxy.OpenAsync();
                await ClientSql.ScalarAsync(connection, "BEGIN");
                warm.Add(connection);
            }
            foreach (var connection in warm)
            {
                await ClientSql.ScalarAsync(connection, "COMMIT");
                await connection.DisposeAsync();
            }
            Assert.True(await Scratch.EventuallyAsync(() => Task.FromResult(proxy.Backend.IdleConnections == 3), TimeSpan.FromSeconds(5)));
            await using (var admin = new MySqlConnection(proxy.ConnectionString(RigCredentials.AdminUser, RigCredentials.AdminPassword)))
            {
                await admin.OpenAsync();
                await ClientSql.ScalarAsync(admin, $"SET GLOBAL net_buffer_length = {wanted}");
                await ClientSql.ScalarAsync(admin, "SET @@global.sql_mode = 'ANSI_QUOTES'");
                await ClientSql.ScalarAsync(admin, $"SET GLOBAL max_allowed_packet = {packetWanted}");
            }

            await using var fresh = await proxy.OpenAsync();
            Assert.Equal(wanted, Convert.ToInt64(await ClientSql.ScalarAsync(fresh, "SELECT @@session.net_buffer_length")));
            Assert.Equal("ANSI_QUOTES", await ClientSql.ScalarAsync(fresh, "SELECT @@session.sql_mode"));
            Assert.Equal(packetWanted, Convert.ToInt64(await ClientSql.ScalarAsync(fresh, "SELECT @@session.max_allowed_packet")));
        }
        finally
        {
            await _server.ExecuteAsync(
                $"SET GLOBAL net_buffer_length = {before}; SET GLOBAL sql_mode = '{sqlModeBefore}'; SET GLOBAL max_allowed_packet = {packetBefore}");
        }
    }
}
