namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// A ProxySQL metric family that is one <c>stats_mysql_global</c> variable (or one per value of <see cref="Label"/>),
/// with ProxySQL 2.7.2's name, type and help text, so its Grafana dashboards and alert rules work unchanged.
/// </summary>
/// <param name="Samples">Label value (empty without a label) and the variable it reads.</param>
/// <param name="Scale">Multiplies the variable (ProxySQL's <c>_nsec</c> variables are exposed in seconds).</param>
internal sealed record GlobalMetric(string Name, MetricType Type, string Help, (string LabelValue, string Variable)[] Samples,
    string? Label = null, double Scale = 1);

/// <summary>
/// ProxySQL's metric families read from <c>stats_mysql_global</c> variables. Names, types and help texts are those
/// ProxySQL 2.7.2 serves (tests/ProxyLayer.IntegrationTests/Metrics/Reference/proxysql-2.7.2-metrics.tsv). A family
/// whose variables ProxyLayer does not have is left out of the output rather than shown as a made-up 0; the
/// variables ProxyLayer has for features it lacks (SQL injection, Aurora, GTID, max_lag) are real zeros.
/// </summary>
internal static class GlobalMetrics
{
    /// <summary>The <c>err</c> side of <c>proxysql_query_cache_count_get_total</c>: lookups that found nothing.</summary>
    public const string QueryCacheMisses = "@Query_Cache_count_GET_ERR";

    public static IReadOnlyList<GlobalMetric> All { get; } =
    [
        new("proxysql_access_denied_max_connections_total", MetricType.Counter, "Total access denied \"max connections\".", [("", "Access_Denied_Max_Connections")]),
        new("proxysql_access_denied_max_user_connections_total", MetricType.Counter, "Total access denied \"max user connections\".", [("", "Access_Denied_Max_User_Connections")]),
        new("proxysql_access_denied_wrong_password_total", MetricType.Counter, "Total access denied \"wrong password\".", [("", "Access_Denied_Wrong_Password")]),
        new("proxysql_active_transactions", MetricType.Gauge, "Provides a count of how many client connection are currently processing a transaction.", [("", "Active_Transactions")]),
        new("proxysql_automatic_detected_sql_injection_total", MetricType.Counter, "Blocked a detected 'sql injection' attempt.", [("", "automatic_detected_sql_injection")]),
        new("proxysql_aws_aurora_replicas_skipped_during_query_total", MetricType.Counter, "Replicas skipped due to current lag being higher than 'max_lag' annotation.", [("", "get_aws_aurora_replicas_skipped_during_query")]),
        new("proxysql_backend_lagging_during_query_total", MetricType.Counter, "Query failed because server was shunned due to lag.", [("", "backend_lagging_during_query")]),
        new("proxysql_backend_offline_during_query_total", MetricType.Counter, "Query failed because server was offline.", [("", "backend_offline_during_query")]),
        new("proxysql_backend_query_time_seconds_total", MetricType.Counter, "Time spent making network calls to communicate with the backends.", [("", "Backend_query_time_nsec")], Scale: 1e-9),
        new("proxysql_client_connections_connected", MetricType.Gauge, "Client connections that are currently connected.", [("", "Client_Connections_connected")]),
        new("proxysql_client_connections_hostgroup_locked", MetricType.Gauge, "Number of client connection locked to a specific hostgroup.", [("", "Client_Connections_hostgroup_locked")]),
        new("proxysql_client_connections_non_idle", MetricType.Gauge, "Number of client connections that are currently handled by the main worker threads.", [("", "Client_Connections_non_idle")]),
        new("proxysql_client_connections_total", MetricType.Counter, "Total number of client connections created.", [("created", "Client_Connections_created"), ("aborted", "Client_Connections_aborted")], Label: "status"),
        new("proxysql_client_host_error_killed_connections", MetricType.Counter, "Killed client connections because address exceeded 'client_host_error_counts'.", [("", "client_host_error_killed_connections")]),
        new("proxysql_com_autocommit_total", MetricType.Counter, "Total queries autocommited.", [("", "Com_autocommit")]),
        new("proxysql_com_autocommit_filtered_total", MetricType.Counter, "Total queries filtered autocommit.", [("", "Com_autocommit_filtered")]),
        new("proxysql_com_backend_change_user_total", MetricType.Counter, "Total CHANGE_USER queries backend.", [("", "Com_backend_change_user")]),
        new("proxysql_com_backend_init_db_total", MetricType.Counter, "Total queries backend INIT DB.", [("", "Com_backend_init_db")]),
        new("proxysql_com_backend_set_names_total", MetricType.Counter, "Total queries backend SET NAMES.", [("", "Com_backend_set_names")]),
        new("proxysql_com_backend_stmt_total", MetricType.Counter, "Represents the number of statements (PREPARE|EXECUTE|CLOSE) executed by ProxySQL against the backends.", [("prepare", "Com_backend_stmt_prepare"), ("execute", "Com_backend_stmt_execute"), ("close", "Com_backend_stmt_close")], Label: "op"),
        new("proxysql_com_commit_cnt_total", MetricType.Counter, "Total queries commit.", [("", "Com_commit")]),
        new("proxysql_com_commit_cnt_filtered_total", MetricType.Counter, "Total queries commit filtered.", [("", "Com_commit_filtered")]),
        new("proxysql_com_frontend_init_db_total", MetricType.Counter, "Total INIT DB queries frontend.", [("", "Com_frontend_init_db")]),
        new("proxysql_com_frontend_set_names_total", MetricType.Counter, "Total SET NAMES frontend queries.", [("", "Com_frontend_set_names")]),
        new("proxysql_com_frontend_use_db_total", MetricType.Counter, "Total USE DB queries frontend.", [("", "Com_frontend_use_db")]),
        new("proxysql_com_frontend_stmt_total", MetricType.Counter, "Represents the number of statements (PREPARE|EXECUTE|CLOSE) executed by clients.", [("prepare", "Com_frontend_stmt_prepare"), ("execute", "Com_frontend_stmt_execute"), ("close", "Com_frontend_stmt_close")], Label: "op"),
        new("proxysql_com_rollback_total", MetricType.Counter, "Total queries rollbacked.", [("", "Com_rollback")]),
        new("proxysql_com_rollback_filtered_total", MetricType.Counter, "Total queries filtered rollbacked.", [("", "Com_rollback_filtered")]),
        new("proxysql_connpool_get_conn_failure_total", MetricType.Counter, "The connection pool cannot provide any connection.", [("", "ConnPool_get_conn_failure")]),
        new("proxysql_connpool_get_conn_success_immediate_total", MetricType.Counter, "The connection is provided from per-thread cache.", [("", "ConnPool_get_conn_immediate")]),
        new("proxysql_connpool_get_conn_success_latency_awareness_total", MetricType.Counter, "The connection was picked using the latency awareness algorithm.", [("", "ConnPool_get_conn_latency_awareness")]),
        new("proxysql_connpool_get_conn_success_total", MetricType.Counter, "The session is able to get a connection, either from per-thread cache or connection pool.", [("", "ConnPool_get_conn_success")]),
        new("proxysql_generated_error_packets_total", MetricType.Counter, "Total generated error packets.", [("", "generated_error_packets")]),
        new("proxysql_gtid_consistent_queries_total", MetricType.Counter, "Total queries with GTID consistent read.", [("", "GTID_consistent_queries")]),
        new("proxysql_gtid_session_collected_total", MetricType.Counter, "Total queries with GTID session state.", [("", "GTID_session_collected")]),
        new("proxysql_hostgroup_locked_queries_total", MetricType.Counter, "Query blocked because connection is locked into some hostgroup but is trying to reach other.", [("", "hostgroup_locked_queries")]),
        new("proxysql_hostgroup_locked_set_cmds_total", MetricType.Counter, "Total number of connections that have been locked in a hostgroup.", [("", "hostgroup_locked_set_cmds")]),
        new("proxysql_max_connect_timeouts_total", MetricType.Counter, "Maximum connection timeout reached when trying to connect to backend sever.", [("", "max_connect_timeouts")]),
        new("proxysql_mirror_concurrency", MetricType.Gauge, "Mirror current concurrency", [("", "Mirror_concurrency")]),
        new("proxysql_mirror_queue_lengths", MetricType.Gauge, "Mirror queue length", [("", "Mirror_queue_length")]),
        new("proxysql_myhgm_myconnpool_get_total", MetricType.Counter, "The number of requests made to the connection pool.", [("", "MyHGM_myconnpoll_get")]),
        new("proxysql_myhgm_myconnpool_get_ok_total", MetricType.Counter, "The number of successful requests to the connection pool (i.e. where a connection was available).", [("", "MyHGM_myconnpoll_get_ok")]),
        new("proxysql_myhgm_myconnpool_push_total", MetricType.Counter, "The number of connections returned to the connection pool.", [("", "MyHGM_myconnpoll_push")]),
        new("proxysql_myhgm_myconnpool_destroy_total", MetricType.Counter, "The number of connections considered unhealthy and therefore closed.", [("", "MyHGM_myconnpoll_destroy")]),
        new("proxysql_myhgm_myconnpool_reset_total", MetricType.Counter, "The number of connections that have been reset / re-initialized using \"COM_CHANGE_USER\"", [("", "MyHGM_myconnpoll_reset")]),
        new("proxysql_mysql_killed_backend_connections_total", MetricType.Counter, "Number of backend connection killed.", [("", "mysql_killed_backend_connections")]),
        new("proxysql_mysql_killed_backend_queries_total", MetricType.Counter, "Killed backend queries.", [("", "mysql_killed_backend_queries")]),
        new("proxysql_mysql_listener_paused", MetricType.Gauge, "MySQL listener paused because of PROXYSQL PAUSE.", [("", "mysql_listener_paused")]),
        new("proxysql_mysql_monitor_connect_check_total", MetricType.Counter, "Number of (succeed|failed) 'connect checks' from 'monitor_connect_thread'.", [("ok", "MySQL_Monitor_connect_check_OK"), ("err", "MySQL_Monitor_connect_check_ERR")], Label: "status"),
        new("proxysql_mysql_monitor_ping_check_total", MetricType.Counter, "Number of (succeed|failed) 'ping checks' from 'monitor_ping_thread'.", [("ok", "MySQL_Monitor_ping_check_OK"), ("err", "MySQL_Monitor_ping_check_ERR")], Label: "status"),
        new("proxysql_mysql_monitor_read_only_check_total", MetricType.Counter, "Number of (succeed|failed) 'read only checks' from 'monitor_read_only_thread'.", [("ok", "MySQL_Monitor_read_only_check_OK"), ("err", "MySQL_Monitor_read_only_check_ERR")], Label: "status"),
        new("proxysql_mysql_monitor_replication_lag_check_total", MetricType.Counter, "Number of (succeed|failed)'replication lag checks' from 'monitor_replication_lag_thread'.", [("ok", "MySQL_Monitor_replication_lag_check_OK"), ("err", "MySQL_Monitor_replication_lag_check_ERR")], Label: "status"),
        new("proxysql_mysql_unexpected_frontend_com_quit_total", MetricType.Counter, "Unexpected 'COM_QUIT' received from the client.", [("", "mysql_unexpected_frontend_com_quit")]),
        new("proxysql_mysql_unexpected_frontend_packets_total", MetricType.Counter, "Unexpected packet received from client.", [("", "mysql_unexpected_frontend_packets")]),
        new("proxysql_queries_backends_bytes_total", MetricType.Counter, "Total number of bytes (sent|received) in backend connections.", [("received", "Queries_backends_bytes_recv"), ("sent", "Queries_backends_bytes_sent")], Label: "traffic_flow"),
        new("proxysql_queries_frontends_bytes_total", MetricType.Counter, "Total number of bytes (sent|received) in frontend connections.", [("received", "Queries_frontends_bytes_recv"), ("sent", "Queries_frontends_bytes_sent")], Label: "traffic_flow"),
        new("proxysql_queries_with_max_lag_total", MetricType.Counter, "Received queries that have a 'max_lag' attribute.", [("", "queries_with_max_lag_ms")]),
        new("proxysql_queries_with_max_lag__delayed_total", MetricType.Counter, "Query delayed because no connection was selected due to 'max_lag' annotation.", [("", "queries_with_max_lag_ms__delayed")]),
        new("proxysql_queries_with_max_lag__total_wait_time_total", MetricType.Counter, "Total waited time due to connection selection because of 'max_lag' annotation.", [("", "queries_with_max_lag_ms__total_wait_time_us")]),
        new("proxysql_query_cache_bytes_total", MetricType.Counter, "Number of bytes (read|written) into the Query Cache.", [("read", "Query_Cache_bytes_OUT"), ("written", "Query_Cache_bytes_IN")], Label: "op"),
        new("proxysql_query_cache_count_get_total", MetricType.Counter, "Number of failed read requests.", [("ok", "Query_Cache_count_GET_OK"), ("err", "@Query_Cache_count_GET_ERR")], Label: "status"),
        new("proxysql_query_cache_count_set_total", MetricType.Counter, "Number of write requests.", [("", "Query_Cache_count_SET")]),
        new("proxysql_query_cache_entries_total", MetricType.Counter, "Number of entries currently stored in the query cache.", [("", "Query_Cache_Entries")]),
        new("proxysql_query_cache_memory_bytes", MetricType.Gauge, "Memory currently used by the query cache.", [("", "Query_Cache_Memory_bytes")]),
        new("proxysql_query_cache_purged_total", MetricType.Counter, "Number of entries purged by the Query Cache due to TTL expiration.", [("", "Query_Cache_Purged")]),
        new("proxysql_query_processor_time_seconds_total", MetricType.Counter, "The time spent inside the \"Query Processor\" to determine what action needs to be taken with the query (internal module).", [("", "Query_Processor_time_nsec")], Scale: 1e-9),
        new("proxysql_questions_total", MetricType.Counter, "The total number of client requests / statements executed.", [("", "Questions")]),
        new("proxysql_selects_for_update__autocommit0_total", MetricType.Counter, "Total queries that are SELECT for update or equivalent.", [("", "Selects_for_update__autocommit0")]),
        new("proxysql_server_connections_connected", MetricType.Gauge, "Backend connections that are currently connected.", [("", "Server_Connections_connected")]),
        new("proxysql_server_connections_total", MetricType.Counter, "Total number of server connections (created|delayed|aborted).", [("created", "Server_Connections_created"), ("aborted", "Server_Connections_aborted"), ("delayed", "Server_Connections_delayed")], Label: "status"),
        new("proxysql_servers_table_version_total", MetricType.Counter, "Number of times the \"servers_table\" have been modified.", [("", "Servers_table_version")]),
        new("proxysql_slow_queries_total", MetricType.Counter, "The total number of queries with an execution time greater than \"mysql-long_query_time\" milliseconds.", [("", "Slow_queries")]),
        new("proxysql_stmt_client_active", MetricType.Gauge, "The total number of prepared statements that are in use by clients.", [("", "Stmt_Client_Active_Total")]),
        new("proxysql_stmt_client_active_unique", MetricType.Gauge, "This variable tracks the number of unique prepared statements currently in use by clients.", [("", "Stmt_Client_Active_Unique")]),
        new("proxysql_stmt_server_active", MetricType.Gauge, "The total number of prepared statements currently available across all backend connections.", [("", "Stmt_Server_Active_Total")]),
        new("proxysql_stmt_server_active_unique", MetricType.Gauge, "The number of unique prepared statements currently available across all backend connections.", [("", "Stmt_Server_Active_Unique")]),
        new("proxysql_stmt_max_stmt_id", MetricType.Gauge, "When a new global prepared statement is created, a new \"stmt_id\" is used. Stmt_Max_Stmt_id represents the maximum \"stmt_id\" ever used.", [("", "Stmt_Max_Stmt_id")]),
        new("proxysql_stmt_cached", MetricType.Gauge, "This is the number of global prepared statements for which proxysql has metadata.", [("", "Stmt_Cached")]),
        new("proxysql_uptime_seconds_total", MetricType.Counter, "The total uptime of ProxySQL.", [("", "ProxySQL_Uptime")]),
        new("proxysql_whitelisted_sqli_fingerprint_total", MetricType.Counter, "Detected a whitelisted 'sql injection' fingerprint.", [("", "whitelisted_sqli_fingerprint")]),
        new("proxysql_mysql_thread_workers", MetricType.Gauge, "Number of MySQL Thread workers i.e. 'mysql-threads'", [("", "MySQL_Thread_Workers")]),
        new("proxysql_mysql_monitor_workers", MetricType.Gauge, "Number of monitor workers threads.", [("", "MySQL_Monitor_Workers")]),
        new("proxysql_mysql_monitor_workers_aux", MetricType.Gauge, "Number of auxiliary monitor threads.", [("", "MySQL_Monitor_Workers_Aux")]),
        new("proxysql_mysql_monitor_workers_started_total", MetricType.Counter, "Number of MySQL Monitor workers started.", [("", "MySQL_Monitor_Workers_Started")]),
    ];
}
