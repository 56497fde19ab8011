using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Admin;

/// <summary>
/// The admin interface on a real socket, driven by the stock <c>mariadb</c> client with a ProxySQL DBA's statements,
/// in front of a real MariaDB server.
/// </summary>
public sealed class AdminInterfaceTests : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly MariaDbServer _backend;
    private readonly ITestOutputHelper _output;
    private readonly string _directory;

    public AdminInterfaceTests(MariaDbFixture fixture, ITestOutputHelper output)
    {
        _backend = fixture.Server;
        _output = output;
        _directory = Directory.CreateTempSubdirectory("proxylayer-admin-").FullName;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Datadir => Path.Combine(_directory, "data");

    private string WriteConfig(string extra = "")
    {
        Directory.CreateDirectory(Datadir);
        var path = Path.Combine(_directory, "proxysql.cnf");
        File.WriteAllText(path, $$"""
            datadir="{{Datadir}}"
            admin_variables = { admin_credentials="admin:admin;radmin:radmin" mysql_ifaces="127.0.0.1:6032" }
            mysql_variables = { threads=4 max_connections=2048 interfaces="0.0.0.0:6033" monitor_username="monitor"
                monitor_password="monitor" monitor_history=600000 monitor_connect_interval=60000 monitor_ping_interval=10000
                monitor_read_only_interval=1500 monitor_read_only_timeout=500 connect_timeout_server=3000 }
            {{extra}}
            """);
        return path;
    }

    private string SeedStatements => $"""
        INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10, '127.0.0.1', {_backend.Port});
        INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, '127.0.0.1', {_backend.Port});
        INSERT INTO mysql_replication_hostgroups VALUES (10,20,'read_only','');
        LOAD MYSQL SERVERS TO RUNTIME;
        SAVE MYSQL SERVERS TO DISK;
        INSERT INTO mysql_users(username,password,default_hostgroup,transaction_persistent) VALUES ('appuser','apppass',10,0);
        LOAD MYSQL USERS TO RUNTIME;
        SAVE MYSQL USERS TO DISK;
        INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (1,1,'^SELECT.*FOR UPDATE$',10);
        INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (2,1,'^SELECT',20);
        LOAD MYSQL QUERY RULES TO RUNTIME;
        SAVE MYSQL QUERY RULES TO DISK;
        """;

    [Fact]
    public async Task The_seed_admin_session_runs_verbatim_and_the_data_path_follows_it()
    {
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, WriteConfig(), _output);

        var seed = await proxy.AdminAsync(SeedStatements);
        Assert.True(seed.Succeeded, seed.StandardError);
        Assert.Equal("", seed.StandardError);

        var runtime = await proxy.AdminAsync("SELECT hostgroup_id, hostname, port, status FROM runtime_mysql_servers ORDER BY hostgroup_id;");
        Assert.Equal($"10\t127.0.0.1\t{_backend.Port}\tONLINE\n20\t127.0.0.1\t{_backend.Port}\tONLINE\n", runtime.StandardOutput);

        var through = await proxy.MySqlAsync("select @@hostname, 1+1");
        Assert.True(through.Succeeded, through.StandardError);
        Assert.EndsWith("\t2\n", through.StandardOutput, StringComparison.Ordinal);

        // Rule 1 without apply=1 is overridden by rule 2, as in ProxySQL; the LOAD says so.
        var warnings = await proxy.AdminAsync("LOAD MYSQL QUERY RULES TO RUNTIME; SHOW WARNINGS;");
        Assert.Contains("rule_id 1", warnings.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("apply=1", warnings.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saved_configuration_survives_a_restart_and_initial_starts_again_from_the_file()
    {
        var config = WriteConfig($$"""mysql_servers = ( { address="127.0.0.1", port={{_backend.Port}}, hostgroup=30 } )""");
        await using (var first = await AdminProxyUnderTest.StartAsync(Datadir, config, _output))
        {
            Assert.Equal(ProxyLayer.Admin.AdminStartupSource.ConfigFile, first.Source);
            var seed = await first.AdminAsync(SeedStatements);
            Assert.True(seed.Succeeded, seed.StandardError);
        }

        await using (var restarted = await AdminProxyUnderTest.StartAsync(Datadir, config, _output))
        {
            Assert.Equal(ProxyLayer.Admin.AdminStartupSource.Database, restarted.Source);
            var servers = await restarted.AdminAsync("SELECT hostgroup_id FROM mysql_servers ORDER BY hostgroup_id; SELECT COUNT(*) FROM runtime_mysql_query_rules;");
            Assert.Equal("10\n20\n30\n2\n", servers.StandardOutput);
        }

        await using var initial = await AdminProxyUnderTest.StartAsync(Datadir, config, _output, initial: true);
        var fromFile = await initial.AdminAsync("SELECT hostgroup_id FROM runtime_mysql_servers; SELECT COUNT(*) FROM mysql_query_rules;");
        Assert.Equal("30\n0\n", fromFile.StandardOutput);
        Assert.True(File.Exists(Path.Combine(Datadir, "proxysql.db.bak")));
    }

    [Fact]
    public async Task The_config_file_variables_are_shown_in_global_variables()
    {
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, WriteConfig(), _output);
        var monitor = await proxy.AdminAsync("SELECT variable_name, variable_value FROM global_variables WHERE variable_name LIKE 'mysql-monitor_read_only%' ORDER BY 1;");
        Assert.Contains("mysql-monitor_read_only_interval\t1500\n", monitor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mysql-monitor_read_only_timeout\t500\n", monitor.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_rule_is_rejected_whole_and_clients_are_still_served()
    {
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, WriteConfig(), _output);
        Assert.True((await proxy.AdminAsync(SeedStatements)).Succeeded);

        var bad = await proxy.AdminAsync("INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (3,1,'(',10); LOAD MYSQL QUERY RULES TO RUNTIME;");
        Assert.False(bad.Succeeded);
        Assert.Contains("rule_id 3", bad.StandardError, StringComparison.Ordinal);

        var rules = await proxy.AdminAsync("SELECT rule_id FROM runtime_mysql_query_rules ORDER BY rule_id;");
        Assert.Equal("1\n2\n", rules.StandardOutput);
        var served = await proxy.MySqlAsync("select 42");
        Assert.Equal("42\n", served.StandardOutput);
    }

    [Fact]
    public async Task Users_loaded_to_runtime_are_the_ones_the_data_path_accepts()
    {
        await _backend.ExecuteAsync("CREATE USER IF NOT EXISTS 'lateuser'@'%' IDENTIFIED BY 'latepass'; GRANT SELECT ON *.* TO 'lateuser'@'%'");
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, WriteConfig(), _output);
        Assert.True((await proxy.AdminAsync(SeedStatements)).Succeeded);

        var before = await proxy.MySqlAsync("select 1", "lateuser", "latepass");
        Assert.Contains("ERROR 1045", before.StandardError, StringComparison.Ordinal);

        await proxy.AdminAsync("INSERT INTO mysql_users(username,password,default_hostgroup) VALUES ('lateuser','latepass',10); LOAD MYSQL USERS TO RUNTIME;");
        var added = await proxy.MySqlAsync("select 'in'", "lateuser", "latepass");
        Assert.Equal("in\n", added.StandardOutput);

        await proxy.AdminAsync("DELETE FROM mysql_users WHERE username='lateuser'; LOAD MYSQL USERS TO RUNTIME;");
        var removed = await proxy.MySqlAsync("select 1", "lateuser", "latepass");
        Assert.Contains("ERROR 1045", removed.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_admin_credentials_and_bad_sql_get_errors_not_crashes()
    {
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, WriteConfig(), _output);
        var denied = await proxy.AdminAsync("SELECT 1;", "radmin", "wrong");
        Assert.Contains("ERROR 1045 (28000)", denied.StandardError, StringComparison.Ordinal);

        var bad = await proxy.AdminAsync("SELEKT * FROM nowhere;");
        Assert.Contains("ProxySQL Admin Error", bad.StandardError, StringComparison.Ordinal);
        var still = await proxy.AdminAsync("SELECT COUNT(*) FROM global_variables WHERE variable_name='mysql-threads';");
        Assert.Equal("1\n", still.StandardOutput);
    }

    [Fact]
    public async Task Flush_query_cache_empties_the_live_cache_and_the_counters_show_in_stats_mysql_global()
    {
        await _backend.ExecuteAsync("CREATE TABLE IF NOT EXISTS testdb.flush_probe (id INT PRIMARY KEY, v VARCHAR(16)); REPLACE INTO testdb.flush_probe VALUES (1, 'old')");
        await using var proxy = await AdminProxyUnderTest.StartAsync(Datadir, WriteConfig(), _output);
        Assert.True((await proxy.AdminAsync(SeedStatements)).Succeeded);
        var rule = await proxy.AdminAsync(
            "INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup,cache_ttl,apply) VALUES (0,1,'flush_probe',10,60000,1); LOAD MYSQL QUERY RULES TO RUNTIME;");
        Assert.True(rule.Succeeded, rule.StandardError);
        const string query = "SELECT v FROM testdb.flush_probe WHERE id = 1";
        Assert.Equal("old\n", (await proxy.MySqlAsync(query)).StandardOutput);
        await _backend.ExecuteAsync("UPDATE testdb.flush_probe SET v = 'new' WHERE id = 1");
        Assert.Equal("old\n", (await proxy.MySqlAsync(query)).StandardOutput);

        var flush = await proxy.AdminAsync("PROXYSQL FLUSH QUERY CACHE;");

        Assert.True(flush.Succeeded, flush.StandardError);
        Assert.Equal(0, proxy.Host.QueryCache.Count);
        Assert.Equal("new\n", (await proxy.MySqlAsync(query)).StandardOutput);
        var counters = await proxy.AdminAsync(
            "SELECT Variable_Name, Variable_Value FROM stats_mysql_global WHERE Variable_Name LIKE 'Query_Cache%' ORDER BY Variable_Name;");
        var values = counters.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1]);
        _output.WriteLine(counters.StandardOutput);
        Assert.Equal("3", values["Query_Cache_count_GET"]);
        Assert.Equal("1", values["Query_Cache_count_GET_OK"]);
        Assert.Equal("2", values["Query_Cache_count_SET"]);
        Assert.Equal("1", values["Query_Cache_Entries"]);
        Assert.Equal("1", values["Query_Cache_Purged"]);
        Assert.NotEqual("0", values["Query_Cache_Memory_bytes"]);
        Assert.Equal(values["Query_Cache_bytes_OUT"], (long.Parse(values["Query_Cache_bytes_IN"], System.Globalization.CultureInfo.InvariantCulture) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
