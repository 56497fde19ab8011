using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Admin;
using ProxyLayer.Backends;
using ProxyLayer.Cluster;
using ProxyLayer.Config;

namespace ProxyLayer.Tests.Cluster;

/// <summary>
/// The variables checksums of a ProxyLayer node equal a ProxySQL 2.7.2 node's with the same settings. Golden values
/// read from the real binary (../shared/anchors/proxysql-2.7.2.xz, started with <c>-f -c p.cnf -D &lt;empty dir&gt;</c>)
/// with <c>SELECT name, checksum FROM runtime_checksums_values WHERE name LIKE '%variables'</c>, its p.cnf being:
/// <code>
/// admin_variables = { admin_credentials="admin:admin;cluster:s3cret" mysql_ifaces="127.0.0.1:46032" cluster_username="cluster" cluster_password="s3cret" }
/// mysql_variables = { interfaces="127.0.0.1:46033" }
/// </code>
/// first right after start (defaults), then after the statements of <see cref="SameStatements"/>. A ProxyLayer node
/// started on the same file showed the same four values (see the report of issue 11).
/// </summary>
public sealed class VariablesChecksumGoldenTests : IDisposable
{
    private const string DefaultAdmin = "0xCEB333E345218124";
    private const string DefaultMysql = "0x72C9F95F7FE827AA";
    private const string ChangedAdmin = "0x15E49279B87B79B2";
    private const string ChangedMysql = "0x669528C46DCF7C5D";

    /// <summary>Spelled as a user might (leading zero, 0 for false, upper case): ProxySQL's runtime prints them canonically.</summary>
    private const string SameStatements =
        "SET admin-cluster_check_interval_ms='0700'; SET admin-cluster_mysql_users_save_to_disk='0'; SET admin-refresh_interval=2500; " +
        "SET admin-stats_credentials='stats:s3'; LOAD ADMIN VARIABLES TO RUNTIME; " +
        "SET mysql-max_connections='02000'; SET mysql-multiplexing='0'; SET mysql-monitor_enabled='FALSE'; SET mysql-server_version='8.0.30'; " +
        "SET mysql-default_query_timeout=36000000; SET mysql-threads=8; LOAD MYSQL VARIABLES TO RUNTIME";

    private readonly AdminStore _store = AdminStore.OpenInMemory();
    private readonly RuntimeConfigManager _runtime = new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);
    private readonly ClusterNode _node;
    private readonly AdminStatementExecutor _executor;
    private readonly AdminSessionContext _admin = new("admin");

    public VariablesChecksumGoldenTests()
    {
        _node = new ClusterNode(_runtime, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)), NullLoggerFactory.Instance, () => []);
        _executor = new AdminStatementExecutor(_store, _runtime, cluster: _node);
        Assert.True(_executor.LoadAllToRuntime().Succeeded);
        _node.Attach(_executor);
        Run("SET admin-admin_credentials='admin:admin;cluster:s3cret'; SET admin-mysql_ifaces='127.0.0.1:46132'; " +
            "SET admin-cluster_username='cluster'; SET admin-cluster_password='s3cret'; LOAD ADMIN VARIABLES TO RUNTIME; " +
            "SET mysql-interfaces='127.0.0.1:46133'; LOAD MYSQL VARIABLES TO RUNTIME");
    }

    public void Dispose()
    {
        _node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
    }

    private AdminResult Run(string sql, AdminSessionContext? context = null)
    {
        var result = _executor.Execute(sql, context ?? _admin);
        Assert.IsNotType<AdminResult.Error>(result);
        return result;
    }

    private string Checksum(ClusterModule module) => _node.Checksums.Snapshot[module].Checksum;

    [Fact]
    public void Default_settings_hash_as_ProxySQL_2_7_2_does()
    {
        Assert.Equal(DefaultAdmin, Checksum(ClusterModule.AdminVariables));
        Assert.Equal(DefaultMysql, Checksum(ClusterModule.MysqlVariables));
    }

    [Fact]
    public void The_same_SET_and_LOAD_hash_as_ProxySQL_2_7_2_does()
    {
        Run(SameStatements);
        Assert.Equal(ChangedAdmin, Checksum(ClusterModule.AdminVariables));
        Assert.Equal(ChangedMysql, Checksum(ClusterModule.MysqlVariables));
    }

    [Fact]
    public void ProxyLayer_only_variables_are_neither_hashed_nor_served_to_peers()
    {
        Run("SET mysql-read_your_writes='true'; SET mysql-monitor_writer_fencing='false'; LOAD MYSQL VARIABLES TO RUNTIME; " +
            "SET admin-scheduler_timeout_ms=1000; LOAD ADMIN VARIABLES TO RUNTIME");
        Assert.Equal(DefaultMysql, Checksum(ClusterModule.MysqlVariables));
        Assert.Equal(DefaultAdmin, Checksum(ClusterModule.AdminVariables));

        // ProxySQL's own pull statement, as the cluster user: what it gets hashes to the checksum shown, ProxyLayer's own left out.
        var peer = new AdminSessionContext("cluster");
        foreach (var module in (ClusterModule[])[ClusterModule.MysqlVariables, ClusterModule.AdminVariables])
        {
            var rows = Assert.IsType<AdminResult.Rows>(Run(Assert.Single(ClusterProtocol.FetchQueries(module)), peer));
            var table = new ClusterTable(rows.Columns, [.. rows.Values]);
            Assert.Null(ModuleSync.Verify(module, [table], Checksum(module)));
            Assert.DoesNotContain(table.Rows, r => VariableDefaults.IsProxyLayerOnly(r[0]!));
        }
        // A DBA still sees them.
        var dba = Assert.IsType<AdminResult.Rows>(Run("SELECT variable_value FROM runtime_global_variables WHERE variable_name='mysql-read_your_writes'"));
        Assert.Equal("true", Assert.Single(dba.Values)[0]);
    }

    /// <summary>
    /// ProxySQL 2.7.2 still computes every checksum when an <c>admin-checksum_&lt;module&gt;</c> switch is false; it only
    /// forces that module's diffs_before_sync to 0 in its runtime (MEMORY keeps 3). Golden value: the same binary and
    /// p.cnf as above, after <c>SET admin-checksum_mysql_query_rules='false'; SET admin-checksum_mysql_users=0;
    /// LOAD ADMIN VARIABLES TO RUNTIME</c>, its runtime showing both diffs_before_sync at 0 and the switches as false.
    /// </summary>
    [Fact]
    public void A_checksum_switch_set_to_false_stops_the_module_from_syncing_and_hashes_as_ProxySQL_2_7_2_does()
    {
        const string SwitchedOffAdmin = "0xE0262624E90096A7";
        Run("SET admin-checksum_mysql_query_rules='false'; SET admin-checksum_mysql_users=0; LOAD ADMIN VARIABLES TO RUNTIME");
        Assert.Equal(SwitchedOffAdmin, Checksum(ClusterModule.AdminVariables));
        Assert.Equal(0, _node.Settings.DiffsBeforeSync[ClusterModule.MysqlQueryRules]);
        Assert.Equal(0, _node.Settings.DiffsBeforeSync[ClusterModule.MysqlUsers]);
        Assert.Equal(3, _node.Settings.DiffsBeforeSync[ClusterModule.MysqlServersV2]);
        var rows = Assert.IsType<AdminResult.Rows>(Run(
            "SELECT variable_value FROM runtime_global_variables WHERE variable_name='admin-cluster_mysql_query_rules_diffs_before_sync' " +
            "UNION ALL SELECT variable_value FROM global_variables WHERE variable_name='admin-cluster_mysql_query_rules_diffs_before_sync'"));
        Assert.Equal(["0", "3"], rows.Values.Select(r => r[0]));

        // The checksum itself is still computed and versioned.
        Run("INSERT INTO mysql_query_rules (rule_id, active, match_digest, destination_hostgroup, apply) VALUES (1, 1, '^SELECT', 1, 1); " +
            "LOAD MYSQL QUERY RULES TO RUNTIME");
        Assert.Equal(2, _node.Checksums.Snapshot[ClusterModule.MysqlQueryRules].Version);
        Assert.NotEqual("0x0000000000000000", Checksum(ClusterModule.MysqlQueryRules));

        // A peer whose rules differ is never taken from, however long it differs.
        var peer = new PeerModuleView(ClusterModule.MysqlQueryRules, 5, 1_800_000_000, "0x1", 0, 0, 1000);
        Assert.Equal(SyncVerdict.Disabled,
            SyncDecision.Judge(peer, _node.Checksums.Snapshot[ClusterModule.MysqlQueryRules], _node.Settings.DiffsBeforeSync[ClusterModule.MysqlQueryRules]));

        // Switched back on, the value MEMORY holds is in force again at the next load.
        Run("SET admin-checksum_mysql_query_rules='true'; LOAD ADMIN VARIABLES TO RUNTIME");
        Assert.Equal(3, _node.Settings.DiffsBeforeSync[ClusterModule.MysqlQueryRules]);
        Assert.Equal(0, _node.Settings.DiffsBeforeSync[ClusterModule.MysqlUsers]);
    }

    /// <summary>
    /// With <c>cluster_sync_interfaces=true</c> the interfaces are hashed, the telnet ones included: ProxySQL's NULL
    /// default reads <c>(null)</c>. Golden values: the same binary, p.cnf with <c>cluster_sync_interfaces=true</c> added
    /// at the top, right after start.
    /// </summary>
    [Fact]
    public void With_cluster_sync_interfaces_the_interfaces_hash_as_ProxySQL_2_7_2_does_and_null_travels_as_null()
    {
        _node.SyncInterfaces = true;
        Run("SET admin-mysql_ifaces='127.0.0.1:46032'; LOAD ADMIN VARIABLES TO RUNTIME; SET mysql-interfaces='127.0.0.1:46033'; LOAD MYSQL VARIABLES TO RUNTIME");
        Assert.Equal("0xE855D8BA3272996C", Checksum(ClusterModule.AdminVariables));
        Assert.Equal("0xD71E0EBABA352724", Checksum(ClusterModule.MysqlVariables));

        // A peer's pull (any admin account) reads (null), hashes to the checksum shown, and loads back as ProxyLayer's empty value.
        var pull = Assert.IsType<AdminResult.Rows>(Run(Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.AdminVariables, syncInterfaces: true)), new AdminSessionContext("radmin")));
        var fetched = new ClusterTable(pull.Columns, [.. pull.Values]);
        Assert.Equal("(null)", fetched.Rows.Single(r => r[0] == "admin-telnet_admin_ifaces")[1]);
        Assert.Null(ModuleSync.Verify(ClusterModule.AdminVariables, [fetched], Checksum(ClusterModule.AdminVariables)));
        Assert.IsType<AdminResult.Ok>(_executor.ReplaceAndLoad(AdminModule.AdminVariables,
            c => ModuleSync.FillMemory(c, ClusterModule.AdminVariables, [fetched]), new PeerChecksum(ClusterModule.AdminVariables, "0x1", 1)));
        Assert.Equal("", _runtime.Current.Variables["admin-telnet_admin_ifaces"]);
        Assert.Equal("0xE855D8BA3272996C", Checksum(ClusterModule.AdminVariables));
    }

    /// <summary>
    /// The pull is recognised by its statement, not by who sends it: a peer logs in with its own cluster account,
    /// which need not be ours. Without the pull's ORDER BY a query is an ordinary one and sees ProxyLayer's own variables.
    /// </summary>
    [Fact]
    public void A_peer_with_another_cluster_account_gets_the_rows_the_checksum_hashes()
    {
        var other = new AdminSessionContext("radmin");
        var pull = Assert.IsType<AdminResult.Rows>(Run(Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.MysqlVariables)), other));
        Assert.Null(ModuleSync.Verify(ClusterModule.MysqlVariables, [new ClusterTable(pull.Columns, [.. pull.Values])], Checksum(ClusterModule.MysqlVariables)));
        var plain = Assert.IsType<AdminResult.Rows>(Run("SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'mysql-%'", other));
        Assert.Contains(plain.Values, r => r[0] == "mysql-read_your_writes");
        Assert.DoesNotContain(pull.Values, r => r[0] == "mysql-read_your_writes");
    }

    [Fact]
    public void A_peer_variable_ProxyLayer_does_not_know_is_dropped_and_the_rest_is_loaded()
    {
        var fetched = new ClusterTable(ClusterTables.VariableColumns,
            [["mysql-max_connections", "1234"], ["mysql-some_future_variable", "1"]]);
        var result = _executor.ReplaceAndLoad(AdminModule.MysqlVariables,
            c => ModuleSync.FillMemory(c, ClusterModule.MysqlVariables, [fetched]), new PeerChecksum(ClusterModule.MysqlVariables, "0x1", 1));
        Assert.IsType<AdminResult.Ok>(result);
        Assert.Equal("1234", _runtime.Current.Variables["mysql-max_connections"]);
        Assert.False(_runtime.Current.Variables.ContainsKey("mysql-some_future_variable"));
    }

    [Theory]
    [InlineData(1, true, true)]
    [InlineData(1, false, true)]
    [InlineData(2, false, false)]
    [InlineData(3, false, true)]
    [InlineData(3, true, false)]
    [InlineData(9, true, true)] // out of range: ProxySQL's default, 1
    public void Sync_algorithm_takes_runtime_servers_as_ProxySQL_does(int value, bool monitorRunning, bool takesRuntime) =>
        Assert.Equal(takesRuntime, ServersSyncAlgorithms.Parse(value).TakesRuntimeServers(monitorRunning));

    [Fact]
    public void A_monitor_move_changes_runtime_mysql_servers_checksum_and_epoch_but_not_its_version()
    {
        Run("INSERT INTO mysql_servers (hostgroup_id, hostname, port) VALUES (10, 'db1', 3306), (20, 'db2', 3306); LOAD MYSQL SERVERS TO RUNTIME");
        var before = _node.Checksums.Snapshot[ClusterModule.MysqlServers];
        var v2 = _node.Checksums.Snapshot[ClusterModule.MysqlServersV2];
        // Shunning is local and passing: peers see SHUNNED as ONLINE, so nothing changes.
        Assert.True(_runtime.UpdateServers(s => [.. s.Select(x => x.Port == 3306 && x.HostgroupId == 20 ? x with { Status = ServerStatus.Shunned } : x)]));
        Assert.Equal(before, _node.Checksums.Snapshot[ClusterModule.MysqlServers]);
        // A move into the writer hostgroup does.
        Assert.True(_runtime.UpdateServers(s => [.. s, new ServerConfig { HostgroupId = 10, Hostname = "db2", Port = 3306 }]));
        var after = _node.Checksums.Snapshot[ClusterModule.MysqlServers];
        Assert.NotEqual(before.Checksum, after.Checksum);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(v2, _node.Checksums.Snapshot[ClusterModule.MysqlServersV2]);
        // What a peer fetches as runtime_mysql_servers hashes to it.
        var rows = Assert.IsType<AdminResult.Rows>(Run(Assert.Single(ClusterProtocol.FetchQueries(ClusterModule.MysqlServers))));
        Assert.Null(ModuleSync.Verify(ClusterModule.MysqlServers, [new ClusterTable(rows.Columns, [.. rows.Values])], after.Checksum));
    }
}
