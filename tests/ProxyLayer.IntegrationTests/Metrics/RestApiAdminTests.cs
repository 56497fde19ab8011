using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Hardening;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>
/// The REST API follows <c>LOAD ADMIN VARIABLES TO RUNTIME</c> without a restart, and the admin interface's status
/// statements (<c>SHOW PROMETHEUS METRICS</c>, <c>SHOW MYSQL STATUS</c>, <c>SHOW [FULL] PROCESSLIST</c>) answer as ProxySQL's.
/// </summary>
public sealed class RestApiAdminTests(MariaDbFixture database, ITestOutputHelper output) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task Load_admin_variables_starts_moves_and_stops_the_rest_api_and_refuses_a_port_it_cannot_take()
    {
        await using var proxy = await AdminProxy.StartAsync(database.Server, output);
        Assert.Empty(proxy.Host.RestApiEndpoints);

        await AdminOkAsync(proxy, "SET admin-restapi_enabled='true'; SET admin-restapi_port=0; LOAD ADMIN VARIABLES TO RUNTIME;");
        var first = proxy.Host.RestApiEndpoints.Single().Port;
        Assert.Equal(HttpStatusCode.OK, (await MetricsCheck.GetAsync(first)).Status);

        // A port another socket holds: the load is refused, naming the port, and the running API stays where it is.
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var refused = await proxy.AdminAsync($"SET admin-restapi_port={taken}; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.False(refused.Succeeded);
        Assert.Contains($"admin-restapi_port: cannot listen on port {taken}", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(first, proxy.Host.RestApiEndpoints.Single().Port);
        Assert.Equal(HttpStatusCode.OK, (await MetricsCheck.GetAsync(first)).Status);

        // A value out of range is refused before anything moves.
        var invalid = await proxy.AdminAsync("SET admin-restapi_port=70000; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.False(invalid.Succeeded);
        Assert.Contains("admin-restapi_port", invalid.StandardError, StringComparison.Ordinal);

        // Moved to a free port, then switched off.
        holder.Stop();
        var free = PortAllocator.GetFreePort();
        await AdminOkAsync(proxy, $"SET admin-restapi_port={free}; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.Equal(free, proxy.Host.RestApiEndpoints.Single().Port);
        Assert.Equal(HttpStatusCode.OK, (await MetricsCheck.GetAsync(free)).Status);
        await AdminOkAsync(proxy, "SET admin-restapi_enabled='false'; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.Empty(proxy.Host.RestApiEndpoints);
        await Assert.ThrowsAsync<HttpRequestException>(() => MetricsCheck.GetAsync(free));
    }

    [Fact]
    public async Task Show_prometheus_metrics_mysql_status_and_processlist_answer_on_the_admin_interface()
    {
        await using var proxy = await AdminProxy.StartAsync(database.Server, output);
        await using var client = new MySqlConnection(ConnectionString(proxy.MySqlEndpoint, RigCredentials.AppUser, RigCredentials.AppPassword));
        await client.OpenAsync();
        await new MySqlCommand("SELECT 1", client).ExecuteScalarAsync();
        await using var admin = new MySqlConnection(ConnectionString(proxy.AdminEndpoint, "radmin", "radmin"));
        await admin.OpenAsync();

        var text = (string)(await new MySqlCommand("SHOW PROMETHEUS METRICS", admin).ExecuteScalarAsync())!;
        var parsed = await MetricsCheck.ParseAsync(text);
        Assert.DoesNotContain(parsed.Missing, name => !NotServedFamilies.Reasons.ContainsKey(name));
        Assert.True(parsed.Value("proxysql_client_connections_connected") >= 1);

        var status = await RowsAsync(admin, "SHOW MYSQL STATUS");
        Assert.Equal(["Variable_name", "Value"], status.Columns);
        var names = status.Rows.Select(r => r[0]).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("Questions", names);
        Assert.Contains("Access_Denied_Wrong_Password", names);
        Assert.Contains("MySQL_Monitor_ping_check_OK", names);

        var memory = (await RowsAsync(admin, "SELECT * FROM stats_memory_metrics")).Rows.ToDictionary(r => r[0]!, r => long.Parse(r[1]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(memory["SQLite3_memory_bytes"] > 0);
        Assert.True(memory["process_resident_bytes"] > memory["dotnet_gc_heap_bytes"]);

        var full = await RowsAsync(admin, "SHOW FULL PROCESSLIST");
        Assert.Equal(["ThreadID", "SessionID", "user", "db", "cli_host", "cli_port", "hostgroup", "l_srv_host", "l_srv_port",
            "srv_host", "srv_port", "command", "time_ms", "info", "status_flags", "extended_info"], full.Columns);
        Assert.Contains(full.Rows, r => r[2] == RigCredentials.AppUser);
        var brief = await RowsAsync(admin, "SHOW PROCESSLIST");
        Assert.Equal(["SessionID", "user", "db", "hostgroup", "command", "time_ms", "info"], brief.Columns);
        Assert.Contains(brief.Rows, r => r[1] == RigCredentials.AppUser);
    }

    [Fact]
    public async Task Client_host_cache_lists_failing_addresses_and_its_reset_table_empties_it()
    {
        await using var proxy = await AdminProxy.StartAsync(database.Server, output,
            [new("mysql-client_host_cache_size", "10"), new("mysql-client_host_error_counts", "5")]);
        var failing = IPAddress.Parse("127.0.0.9");
        for (var i = 0; i < 2; i++)
        {
            await using var client = await RawMySqlClient.ConnectAsync(proxy.MySqlEndpoint, failing);
            var greeting = await client.ReadPacketAsync();
            await client.WritePacketAsync(1, RawMySqlClient.HandshakeResponse(greeting, RigCredentials.AppUser, "wrong password"));
            Assert.Equal(1045, (await client.ReadPacketAsync()).Error.Code);
        }
        await using var admin = new MySqlConnection(ConnectionString(proxy.AdminEndpoint, "radmin", "radmin"));
        await admin.OpenAsync();

        var cached = await RowsAsync(admin, "SELECT * FROM stats_mysql_client_host_cache");
        Assert.Equal(["client_address", "error_count", "last_updated"], cached.Columns);
        var row = Assert.Single(cached.Rows);
        Assert.Equal("127.0.0.9", row[0]);
        Assert.Equal("2", row[1]);
        Assert.InRange(long.Parse(row[2]!, System.Globalization.CultureInfo.InvariantCulture) / 1_000_000,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Single((await RowsAsync(admin, "SELECT * FROM stats_mysql_client_host_cache_reset")).Rows);
        Assert.Empty((await RowsAsync(admin, "SELECT * FROM stats_mysql_client_host_cache")).Rows);
        Assert.Equal(0, proxy.Host.ClientHosts.Count);
    }

    private static async Task AdminOkAsync(AdminProxy proxy, string sql)
    {
        var result = await proxy.AdminAsync(sql);
        Assert.True(result.Succeeded, result.StandardError);
    }

    private static string ConnectionString(IPEndPoint endpoint, string user, string password) => new MySqlConnectionStringBuilder
    {
        Server = endpoint.Address.ToString(),
        Port = (uint)endpoint.Port,
        UserID = user,
        Password = password,
        SslMode = MySqlSslMode.None,
        Pooling = false,
    }.ConnectionString;

    private static async Task<(List<string> Columns, List<string?[]> Rows)> RowsAsync(MySqlConnection connection, string sql)
    {
        await using var reader = await new MySqlCommand(sql, connection).ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i).ToString())]);
        return (columns, rows);
    }
}
