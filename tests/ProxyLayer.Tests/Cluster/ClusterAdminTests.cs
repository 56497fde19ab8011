using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Admin;
using ProxyLayer.Backends;
using ProxyLayer.Cluster;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Cluster;

/// <summary>The admin side of a cluster node: versions and epochs per LOAD, and the statements ProxySQL peers send.</summary>
public sealed class ClusterAdminTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly AdminStore _store = AdminStore.OpenInMemory();
    private readonly RuntimeConfigManager _runtime = new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
    private readonly ClusterNode _node;
    private readonly AdminStatementExecutor _executor;
    private readonly AdminSessionContext _admin = new("admin");

    public ClusterAdminTests()
    {
        _node = new ClusterNode(_runtime, _time, NullLoggerFactory.Instance, () => []);
        _executor = new AdminStatementExecutor(_store, _runtime, cluster: _node);
        Assert.True(_executor.LoadAllToRuntime().Succeeded);
        _node.Attach(_executor);
    }

    public void Dispose()
    {
        _node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
    }

    private AdminResult Run(string sql, AdminSessionContext? context = null) => _executor.Execute(sql, context ?? _admin);

    private List<string?[]> Rows(string sql, AdminSessionContext? context = null) =>
        [.. Assert.IsType<AdminResult.Rows>(Run(sql, context)).Values];

    [Fact]
    public void Start_up_is_version_1_and_each_load_bumps_version_and_epoch()
    {
        var before = Rows("SELECT name, version, epoch, checksum FROM runtime_checksums_values ORDER BY name");
        Assert.Equal(7, before.Count);
        Assert.All(before, r => Assert.Equal("1", r[1]));
        Assert.Equal("0x0000000000000000", before.Single(r => r[0] == "mysql_query_rules")[3]);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.IsType<AdminResult.Ok>(Run("INSERT INTO mysql_query_rules (rule_id, active, match_digest, destination_hostgroup, apply) VALUES (1, 1, '^SELECT', 20, 1)"));
        Assert.IsType<AdminResult.Ok>(Run("LOAD MYSQL QUERY RULES TO RUNTIME"));
        Assert.IsType<AdminResult.Ok>(Run("LOAD MYSQL QUERY RULES TO RUNTIME")); // every LOAD counts, even of the same rules

        var rules = Rows("SELECT version, epoch, checksum FROM runtime_checksums_values WHERE name='mysql_query_rules'").Single();
        Assert.Equal("3", rules[0]);
        Assert.Equal("1700000005", rules[1]);
        Assert.NotEqual("0x0000000000000000", rules[2]);
        Assert.Equal("1", Rows("SELECT version FROM runtime_checksums_values WHERE name='mysql_users'").Single()[0]);
    }

    [Fact]
    public void The_global_checksum_changes_with_any_load()
    {
        var before = Rows("SELECT GLOBAL_CHECKSUM()").Single()[0];
        Run("LOAD MYSQL USERS TO RUNTIME");
        var after = Rows("select   global_checksum()").Single()[0];
        Assert.NotEqual(before, after);
        Assert.Equal(_node.Checksums.Snapshot.GlobalChecksum.ToString(System.Globalization.CultureInfo.InvariantCulture), after);
    }

    [Fact]
    public void What_a_peer_fetches_hashes_to_the_checksum_it_was_shown()
    {
        Run("INSERT INTO mysql_servers (hostgroup_id, hostname, port, status) VALUES (10, 'db1', 3306, 'ONLINE'), (20, 'db2', 3306, 'SHUNNED')");
        Run("INSERT INTO mysql_replication_hostgroups (writer_hostgroup, reader_hostgroup) VALUES (10, 20)");
        Run("INSERT INTO mysql_users (username, password, default_hostgroup) VALUES ('app', 'secret', 10)");
        Run("INSERT INTO mysql_query_rules (rule_id, active, match_digest, destination_hostgroup, apply) VALUES (1, 1, '^SELECT', 20, 1)");
        foreach (var module in (string[])["MYSQL SERVERS", "MYSQL USERS", "MYSQL QUERY RULES"])
            Assert.IsType<AdminResult.Ok>(Run($"LOAD {module} TO RUNTIME"));

        var peer = LogInAsClusterUser();
        foreach (var module in (ClusterModule[])[ClusterModule.MysqlQueryRules, ClusterModule.MysqlServersV2, ClusterModule.MysqlServers,
                     ClusterModule.MysqlUsers, ClusterModule.ProxysqlServers, ClusterModule.MysqlVariables, ClusterModule.AdminVariables])
        {
            var fetched = ClusterProtocol.FetchQueries(module)
                .Select(q => Assert.IsType<AdminResult.Rows>(Run(q, peer)))
                .Select(r => new ClusterTable(r.Columns, [.. r.Values]))
                .ToList();
            Assert.Null(ModuleSync.Verify(module, fetched, _node.Checksums.Snapshot[module].Checksum));
        }
    }

    /// <summary>Peers log in as admin-cluster_username: the variables they fetch are the checksummed ones.</summary>
    private AdminSessionContext LogInAsClusterUser()
    {
        Run("UPDATE global_variables SET variable_value='cluster' WHERE variable_name='admin-cluster_username'");
        Assert.IsType<AdminResult.Ok>(Run("LOAD ADMIN VARIABLES TO RUNTIME"));
        return new AdminSessionContext("cluster");
    }

    [Fact]
    public void Only_the_cluster_user_is_told_the_ProxySQL_version()
    {
        Run("UPDATE global_variables SET variable_value='cluster' WHERE variable_name='admin-cluster_username'");
        Run("LOAD ADMIN VARIABLES TO RUNTIME");
        Assert.Equal(ClusterProtocol.ProxySqlVersion, Rows("SELECT @@version", new AdminSessionContext("cluster")).Single()[0]);
        Assert.NotEqual(ClusterProtocol.ProxySqlVersion, Rows("SELECT @@version").Single()[0]);
    }

    [Fact]
    public void Cluster_node_uuid_is_accepted_and_listed_and_a_malformed_one_refused()
    {
        Assert.IsType<AdminResult.Ok>(Run("PROXYSQL CLUSTER_NODE_UUID 6a1b5e2c-0d57-4d3b-9d1e-3f0c8f2a7b11 127.0.0.1:6032"));
        Assert.Equal("127.0.0.1:6032", Rows("SELECT admin_mysql_ifaces FROM stats_proxysql_servers_clients_status").Single()[0]);
        Assert.Contains("invalid format", Assert.IsType<AdminResult.Error>(Run("PROXYSQL CLUSTER_NODE_UUID nonsense")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_module_that_fails_validation_leaves_memory_and_runtime_as_they_were()
    {
        var rules = new ClusterTable(ClusterTables.QueryRuleColumns,
            [ClusterTables.QueryRules([new QueryRuleConfig { RuleId = 7, Active = true, MatchPattern = "([unclosed", Apply = true }]).Rows[0]]);
        var result = _executor.ReplaceAndLoad(AdminModule.MysqlQueryRules,
            c => ModuleSync.FillMemory(c, ClusterModule.MysqlQueryRules, [rules, ClusterTables.FastRouting([])]),
            new PeerChecksum(ClusterModule.MysqlQueryRules, "0x1", 1));
        Assert.IsType<AdminResult.Error>(result);
        Assert.Empty(Rows("SELECT rule_id FROM mysql_query_rules"));
        Assert.Empty(_runtime.Current.QueryRules);
        Assert.Equal("1", Rows("SELECT version FROM runtime_checksums_values WHERE name='mysql_query_rules'").Single()[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Interface_variables_are_checksummed_and_fetched_only_with_cluster_sync_interfaces(bool syncInterfaces)
    {
        _node.SyncInterfaces = syncInterfaces;
        var peer = LogInAsClusterUser();
        Assert.IsType<AdminResult.Ok>(Run("LOAD MYSQL VARIABLES TO RUNTIME"));
        Assert.IsType<AdminResult.Ok>(Run("LOAD ADMIN VARIABLES TO RUNTIME"));
        var mysqlBefore = _node.Checksums.Snapshot[ClusterModule.MysqlVariables].Checksum;
        var adminBefore = _node.Checksums.Snapshot[ClusterModule.AdminVariables].Checksum;

        // What a peer's pull (with the same setting) fetches hashes to the checksum shown, interfaces in or out.
        foreach (var module in (ClusterModule[])[ClusterModule.MysqlVariables, ClusterModule.AdminVariables])
        {
            var fetched = ClusterProtocol.FetchQueries(module, syncInterfaces)
                .Select(q => Assert.IsType<AdminResult.Rows>(Run(q, peer)))
                .Select(r => new ClusterTable(r.Columns, [.. r.Values]))
                .ToList();
            Assert.Null(ModuleSync.Verify(module, fetched, _node.Checksums.Snapshot[module].Checksum));
            var names = fetched[0].Rows.Select(r => r[0]).ToList();
            Assert.Equal(syncInterfaces, names.Contains(module == ClusterModule.MysqlVariables ? "mysql-interfaces" : "admin-mysql_ifaces"));
            Assert.DoesNotContain("mysql-threads", names);
        }

        // Changing only interfaces moves the checksums only when they are synced; mysql-threads never does.
        Run("UPDATE global_variables SET variable_value='127.0.0.1:16033' WHERE variable_name='mysql-interfaces'");
        Run("UPDATE global_variables SET variable_value='7' WHERE variable_name='mysql-threads'");
        Run("UPDATE global_variables SET variable_value='16070' WHERE variable_name='admin-restapi_port'");
        Run("UPDATE global_variables SET variable_value='16080' WHERE variable_name='admin-web_port'");
        Assert.IsType<AdminResult.Ok>(Run("LOAD MYSQL VARIABLES TO RUNTIME"));
        Assert.IsType<AdminResult.Ok>(Run("LOAD ADMIN VARIABLES TO RUNTIME"));
        Assert.Equal(syncInterfaces, _node.Checksums.Snapshot[ClusterModule.MysqlVariables].Checksum != mysqlBefore);
        Assert.Equal(syncInterfaces, _node.Checksums.Snapshot[ClusterModule.AdminVariables].Checksum != adminBefore);

        // A non-interface variable always moves it.
        Run("UPDATE global_variables SET variable_value='8.0.99' WHERE variable_name='mysql-server_version'");
        Assert.IsType<AdminResult.Ok>(Run("LOAD MYSQL VARIABLES TO RUNTIME"));
        Assert.NotEqual(mysqlBefore, _node.Checksums.Snapshot[ClusterModule.MysqlVariables].Checksum);
    }

    [Fact]
    public void The_variables_pull_asks_for_interfaces_only_with_cluster_sync_interfaces()
    {
        // ProxySQL 2.7's pull_global_variables_from_peer statements, with and without CLUSTER_SYNC_INTERFACES_*.
        Assert.Equal(
            "SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'admin-%' AND variable_name NOT IN " +
            "('admin-mysql_ifaces','admin-restapi_port','admin-telnet_admin_ifaces','admin-telnet_stats_ifaces','admin-web_port') ORDER BY variable_name",
            Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.AdminVariables)));
        Assert.Equal("SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'admin-%' ORDER BY variable_name",
            Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.AdminVariables, syncInterfaces: true)));
        Assert.Equal(
            "SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'mysql-%' AND variable_name NOT IN ('mysql-threads')" +
            " AND variable_name NOT IN ('mysql-interfaces') ORDER BY variable_name",
            Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.MysqlVariables)));
        Assert.Equal("SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'mysql-%' AND variable_name NOT IN ('mysql-threads') ORDER BY variable_name",
            Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.MysqlVariables, syncInterfaces: true)));
    }
}
