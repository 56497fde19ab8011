namespace ProxyLayer.Cluster;

/// <summary>Fixed points of ProxySQL's cluster protocol that ProxyLayer follows.</summary>
internal static class ClusterProtocol
{
    /// <summary>
    /// The ProxySQL version whose cluster protocol ProxyLayer speaks. ProxySQL joins only peers whose admin
    /// <c>SELECT @@version</c> equals its own version, so this is what the cluster user is told (other admin users
    /// keep getting <c>mysql-server_version</c>), and what our own check loop requires of peers.
    /// </summary>
    public const string ProxySqlVersion = "2.7.2-0-gd752949";

    public const string GlobalChecksumQuery = "SELECT GLOBAL_CHECKSUM()";
    public const string ChecksumsQuery = "SELECT * FROM runtime_checksums_values ORDER BY name";
    public const string MetricsQuery = "SELECT * FROM stats_mysql_global ORDER BY Variable_Name";
    public const string NodeUuidCommand = "PROXYSQL CLUSTER_NODE_UUID ";
    public const string ProxySelect = "PROXY_SELECT ";

    /// <summary>
    /// The statements that fetch a module from a peer, in the order its checksum folds them (ProxySQL_Cluster.hpp and
    /// ProxySQL_Cluster.cpp's variables pull): the interface variables are asked for only when this node has
    /// <c>cluster_sync_interfaces=true</c>, as the peer leaves them out of its checksum when it has not.
    /// </summary>
    public static IReadOnlyList<string> FetchQueries(ClusterModule module, bool syncInterfaces = false) => module switch
    {
        ClusterModule.MysqlQueryRules =>
        [
            "PROXY_SELECT " + string.Join(", ", ClusterTables.QueryRuleColumns) + " FROM runtime_mysql_query_rules ORDER BY rule_id",
            "PROXY_SELECT username, schemaname, flagIN, destination_hostgroup, comment FROM runtime_mysql_query_rules_fast_routing ORDER BY username, schemaname, flagIN",
        ],
        ClusterModule.MysqlServersV2 =>
        [
            "PROXY_SELECT " + ServerColumnList + " FROM mysql_servers_v2 WHERE status<>'OFFLINE_HARD' ORDER BY hostgroup_id, hostname, port",
            "PROXY_SELECT writer_hostgroup, reader_hostgroup, comment FROM runtime_mysql_replication_hostgroups ORDER BY writer_hostgroup",
            "PROXY_SELECT writer_hostgroup, backup_writer_hostgroup, reader_hostgroup, offline_hostgroup, active, max_writers, writer_is_also_reader, max_transactions_behind, comment FROM runtime_mysql_group_replication_hostgroups ORDER BY writer_hostgroup",
            "PROXY_SELECT writer_hostgroup, backup_writer_hostgroup, reader_hostgroup, offline_hostgroup, active, max_writers, writer_is_also_reader, max_transactions_behind, comment FROM runtime_mysql_galera_hostgroups ORDER BY writer_hostgroup",
            "PROXY_SELECT writer_hostgroup, reader_hostgroup, active, aurora_port, domain_name, max_lag_ms, check_interval_ms, check_timeout_ms, writer_is_also_reader, new_reader_weight, add_lag_ms, min_lag_ms, lag_num_checks, comment FROM runtime_mysql_aws_aurora_hostgroups ORDER BY writer_hostgroup",
            "PROXY_SELECT hostgroup_id, max_num_online_servers, autocommit, free_connections_pct, init_connect, multiplex, connection_warming, throttle_connections_per_sec, ignore_session_variables, hostgroup_settings, servers_defaults, comment FROM runtime_mysql_hostgroup_attributes ORDER BY hostgroup_id",
            "PROXY_SELECT hostname, port, username, ssl_ca, ssl_cert, ssl_key, ssl_capath, ssl_crl, ssl_crlpath, ssl_cipher, tls_version, comment FROM runtime_mysql_servers_ssl_params ORDER BY hostname, port, username",
        ],
        ClusterModule.MysqlServers =>
        [
            "PROXY_SELECT " + ServerColumnList + " FROM runtime_mysql_servers WHERE status<>'OFFLINE_HARD' ORDER BY hostgroup_id, hostname, port",
        ],
        ClusterModule.MysqlUsers =>
        [
            "PROXY_SELECT " + string.Join(", ", ClusterTables.UserColumns) + " FROM runtime_mysql_users",
        ],
        ClusterModule.ProxysqlServers => ["SELECT hostname, port, weight, comment FROM runtime_proxysql_servers ORDER BY hostname, port"],
        ClusterModule.AdminVariables =>
        [
            "SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'admin-%'" +
            (syncInterfaces ? "" : " AND variable_name NOT IN " + InList(ClusterTables.AdminInterfaceVariables)) + " ORDER BY variable_name",
        ],
        ClusterModule.MysqlVariables =>
        [
            "SELECT * FROM runtime_global_variables WHERE variable_name LIKE 'mysql-%' AND variable_name NOT IN ('mysql-threads')" +
            (syncInterfaces ? "" : " AND variable_name NOT IN " + InList(ClusterTables.MysqlInterfaceVariables)) + " ORDER BY variable_name",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, null),
    };

    private static string InList(IEnumerable<string> names) => "(" + string.Join(",", names.Select(n => "'" + n + "'")) + ")";

    private static string ServerColumnList => string.Join(", ", ClusterTables.ServerColumns);

    /// <summary>The other server tables of mysql_servers_v2 (no record in the runtime model): admin table and its sort key.</summary>
    public static readonly (string Table, string OrderBy)[] OtherServerTables =
    [
        ("mysql_group_replication_hostgroups", "writer_hostgroup"),
        ("mysql_galera_hostgroups", "writer_hostgroup"),
        ("mysql_aws_aurora_hostgroups", "writer_hostgroup"),
        ("mysql_hostgroup_attributes", "hostgroup_id"),
        ("mysql_servers_ssl_params", "hostname, port, username"),
    ];
}
