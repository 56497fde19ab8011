using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Hardening;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary><c>stats_mysql_errors</c>: the errors a real MariaDB returned through the proxy, counted per key as ProxySQL 2.7 does.</summary>
public sealed class BackendErrorStatsTests(MariaDbFixture database, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task Backend_errors_are_counted_by_errno_with_their_server_user_schema_and_last_message_and_reset_empties_them()
    {
        await using var proxy = await AdminProxy.StartAsync(database.Server, output);
        var schema = "errors_" + Guid.NewGuid().ToString("N")[..8];
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using (var client = new MySqlConnection(ConnectionString(proxy.MySqlEndpoint.Port, RigCredentials.AppUser, RigCredentials.AppPassword)))
        {
            await client.OpenAsync();
            await ExecuteAsync(client, $"CREATE DATABASE {schema}");
            await ExecuteAsync(client, $"USE {schema}");
            await ExecuteAsync(client, "CREATE TABLE t (id INT PRIMARY KEY)");
            await ExecuteAsync(client, "INSERT INTO t VALUES (1)");
            for (var i = 0; i < 2; i++)
                Assert.Equal(1062, (await Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(client, "INSERT INTO t VALUES (1)"))).Number);
            Assert.Equal(1064, (await Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(client, "SELEC 1"))).Number);
            await ExecuteAsync(client, "SELECT id FROM t");
            await ExecuteAsync(client, $"DROP DATABASE {schema}");
        }
        var ended = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await using var admin = new MySqlConnection(ConnectionString(proxy.AdminEndpoint.Port, "radmin", "radmin"));
        await admin.OpenAsync();
        var rows = await RowsAsync(admin, "SELECT hostgroup, hostname, port, username, client_address, schemaname, errno, count_star, " +
            "first_seen, last_seen, last_error FROM stats_mysql_errors ORDER BY errno");
        Assert.Equal(2, rows.Count);
        var (duplicate, syntax) = (rows[0], rows[1]);
        Assert.Equal([ProxyUnderTest.Hostgroup.ToString(CultureInfo.InvariantCulture), "127.0.0.1", database.Server.Port.ToString(CultureInfo.InvariantCulture),
            RigCredentials.AppUser, "127.0.0.1", schema, "1062", "2"], duplicate[..8].Select(v => v!).ToArray());
        Assert.Contains("Duplicate entry '1'", duplicate[10], StringComparison.Ordinal);
        Assert.Equal(["1064", "1"], syntax[6..8].Select(v => v!).ToArray());
        Assert.Contains("SELEC 1", syntax[10], StringComparison.Ordinal);
        foreach (var row in rows)
        {
            Assert.InRange(long.Parse(row[8]!, CultureInfo.InvariantCulture), started - 1, ended + 1);
            Assert.InRange(long.Parse(row[9]!, CultureInfo.InvariantCulture), long.Parse(row[8]!, CultureInfo.InvariantCulture), ended + 1);
        }

        // The _reset twin shows the same rows and empties the table, as in ProxySQL.
        Assert.Equal(2, (await RowsAsync(admin, "SELECT * FROM stats_mysql_errors_reset")).Count);
        Assert.Empty(await RowsAsync(admin, "SELECT * FROM stats_mysql_errors"));
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql) => await new MySqlCommand(sql, connection).ExecuteNonQueryAsync();

    private static string ConnectionString(int port, string user, string password) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)port,
        UserID = user,
        Password = password,
        SslMode = MySqlSslMode.None,
        Pooling = false,
    }.ConnectionString;

    private static async Task<List<string?[]>> RowsAsync(MySqlConnection connection, string sql)
    {
        await using var reader = await new MySqlCommand(sql, connection).ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i).ToString())]);
        return rows;
    }
}
