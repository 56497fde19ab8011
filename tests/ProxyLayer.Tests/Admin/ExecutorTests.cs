using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Tests.Admin;

public sealed class ExecutorTests
{
    [Theory]
    [InlineData("SELEC 1", "ProxySQL Admin Error: near \"SELEC\": syntax error")]
    [InlineData("SELECT * FROM no_such_table", "ProxySQL Admin Error: no such table: no_such_table")]
    [InlineData("INSERT INTO mysql_servers (hostgroup_id, hostname, port) VALUES (1, 'h', 70000)", "ProxySQL Admin Error: CHECK constraint failed: port >= 0 AND port <= 65535")]
    public void Bad_sql_is_an_error_result(string sql, string message)
    {
        using var admin = new AdminHarness();
        var error = admin.Error(sql);
        Assert.Equal((1045, "28000", message), (error.Code, error.SqlState, error.Message));
    }

    [Fact]
    public void Empty_query_is_an_error()
    {
        using var admin = new AdminHarness();
        Assert.Equal(1065, admin.Error(" ; ").Code);
    }

    [Fact]
    public void A_row_sqlite_accepts_but_the_config_cannot_hold_fails_load_by_name()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_users (username, default_hostgroup) VALUES ('u', 'ten')");
        var error = admin.Error("LOAD MYSQL USERS TO RUNTIME");
        Assert.Equal("ProxySQL Admin Error: mysql_users row (username=u, backend=1): default_hostgroup 'ten' is not a 32-bit integer", error.Message);
        Assert.Equal(0, admin.Runtime.ApplyCount);
    }

    [Fact]
    public void Multiple_statements_stop_at_the_first_error()
    {
        using var admin = new AdminHarness();
        var results = admin.Executor.ExecuteAll(
            "INSERT INTO proxysql_servers (hostname) VALUES ('a'); SELEC; INSERT INTO proxysql_servers (hostname) VALUES ('b')", admin.Session);
        Assert.Equal(2, results.Count);
        Assert.IsType<AdminResult.Error>(results[1]);
        Assert.Equal(["a"], admin.Column("SELECT hostname FROM proxysql_servers"));
    }

    [Fact]
    public void Sqlite_dialect_and_joins_across_schemas_work()
    {
        using var admin = new AdminHarness();
        admin.Ok("INSERT INTO mysql_servers (hostgroup_id, hostname) VALUES (1, 'a'); REPLACE INTO mysql_servers (hostgroup_id, hostname, weight) VALUES (1, 'a', 5)");
        admin.Ok("INSERT OR REPLACE INTO mysql_servers (hostgroup_id, hostname, weight) VALUES (1, 'a', 6); SAVE MYSQL SERVERS TO DISK");
        Assert.Equal(1, admin.Ok("UPDATE mysql_servers SET weight = 9").AffectedRows);
        Assert.Equal([["a", "9", "6"]], admin.Rows("SELECT m.hostname, m.weight, d.weight FROM main.mysql_servers m JOIN disk.mysql_servers d USING (hostgroup_id, hostname, port)").Values);
        Assert.Equal(1, admin.Ok("DELETE FROM mysql_servers").AffectedRows);
    }

    [Fact]
    public void Proxysql_commands_signal_the_host()
    {
        using var admin = new AdminHarness();
        Assert.Equal(new AdminResult.Shutdown(false), admin.Run("PROXYSQL SHUTDOWN"));
        Assert.Equal(new AdminResult.Shutdown(true), admin.Run("proxysql shutdown slow;"));
        Assert.IsType<AdminResult.Restart>(admin.Run("PROXYSQL RESTART"));
        Assert.Empty(admin.Ok("PROXYSQL FLUSH LOGS").Warnings);
        Assert.Equal(0, admin.Ok("PROXYSQL FLUSH QUERY CACHE").AffectedRows);
        Assert.NotEmpty(admin.Ok("PROXYSQL PAUSE").Warnings);
        admin.Ok("PROXYSQL RESUME");
    }

    [Fact]
    public void Flush_commands_act_on_the_live_proxy_before_answering()
    {
        using var store = AdminStore.OpenInMemory();
        var live = new RecordingLiveActions();
        var executor = new AdminStatementExecutor(store, new FakeRuntimeConfig(), live: live);
        var session = new AdminSessionContext("admin");

        Assert.IsType<AdminResult.Ok>(executor.Execute("PROXYSQL FLUSH QUERY CACHE", session));
        Assert.IsType<AdminResult.Ok>(executor.Execute("proxysql flush mysql query cache", session));
        Assert.IsType<AdminResult.Ok>(executor.Execute("PROXYSQL FLUSH LOGS", session));

        Assert.Equal((2, 1), (live.QueryCacheFlushes, live.LogFlushes));
    }

    [Fact]
    public void Stats_and_monitor_tables_are_refreshed_before_statements_that_mention_them()
    {
        using var store = AdminStore.OpenInMemory();
        var refresher = new RecordingRefresher();
        var executor = new AdminStatementExecutor(store, new FakeRuntimeConfig(), refresher);
        var session = new AdminSessionContext("admin");

        var rows = Assert.IsType<AdminResult.Rows>(executor.Execute(
            "SELECT srv_host, Queries FROM stats.stats_mysql_connection_pool_reset, monitor.mysql_server_ping_log", session));
        Assert.Empty(rows.Values);
        executor.Execute("SELECT * FROM mysql_servers", session);

        var call = Assert.Single(refresher.Calls);
        Assert.Equal(["mysql_server_ping_log", "stats_mysql_connection_pool", "stats_mysql_connection_pool_reset"], call.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Runtime_tables_are_refreshed_from_the_live_config_when_mentioned()
    {
        using var admin = new AdminHarness();
        admin.Runtime.Current = admin.Runtime.Current with { Servers = [new ProxyLayer.Config.ServerConfig { HostgroupId = 3, Hostname = "live" }] };
        Assert.Equal([["3", "live", "ONLINE"]], admin.Rows("select hostgroup_id, hostname, status from RUNTIME_MYSQL_SERVERS").Values);
        Assert.Equal("0", admin.Scalar("SELECT COUNT(*) FROM mysql_servers"));
    }

    private sealed class RecordingLiveActions : IAdminLiveActions
    {
        public int QueryCacheFlushes { get; private set; }
        public int LogFlushes { get; private set; }

        public void FlushQueryCache() => QueryCacheFlushes++;

        public void FlushLogs() => LogFlushes++;

        public string PrometheusMetrics() => "# no metrics in this test\n";

        public int SaveDigestsToDisk() => 0;
    }

    private sealed class RecordingRefresher : IAdminTableRefresher
    {
        public List<IReadOnlySet<string>> Calls { get; } = [];

        public void Refresh(SqliteConnection connection, IReadOnlySet<string> tables) => Calls.Add(tables);
    }
}
