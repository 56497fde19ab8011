namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>
/// ProxySQL 2.7.2's metric families that ProxyLayer does not serve, each with the reason. The format test fails on a
/// missing family that is not listed here, and prints the list, so a gap is a decision written down, not an accident.
/// </summary>
internal static class NotServedFamilies
{
    private const string Memory = "ProxySQL's allocator and per-module memory accounting; a .NET process has no such figures";
    private const string Cluster = "ProxySQL Cluster (its metrics belong with the cluster module)";
    private const string Threads = "ProxySQL's worker and monitor thread pools; ProxyLayer runs on the socket engine and the thread pool";
    private const string Absent = "a ProxySQL feature ProxyLayer does not have";
    private const string NotYet = "not counted yet (README: stats_mysql_global)";

    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>
    {
        ["prepare_stmt_backend_memory_bytes"] = Memory,
        ["prepare_stmt_metadata_memory_bytes"] = Memory,
        ["proxysql_auth_memory_bytes"] = Memory,
        ["proxysql_connpool_memory_bytes"] = Memory,
        ["proxysql_jemalloc_allocated_bytes_total"] = Memory,
        ["proxysql_jemalloc_bytes"] = Memory,
        ["proxysql_mysql_backend_buffers_bytes"] = Memory,
        ["proxysql_mysql_frontend_buffers_bytes"] = Memory,
        ["proxysql_mysql_session_internal_bytes"] = Memory,
        ["proxysql_mysql_query_rules_memory_bytes"] = Memory,
        ["proxysql_query_digest_memory_bytes"] = Memory,
        ["proxysql_stack_memory_admin_threads_bytes"] = Memory,
        ["proxysql_stack_memory_cluster_threads"] = Memory,
        ["proxysql_stack_memory_mysql_threads_bytes"] = Memory,
        ["proxysql_mysql_firewall_rules_config_bytes"] = Absent,
        ["proxysql_mysql_firewall_rules_table_bytes"] = Absent,
        ["proxysql_mysql_firewall_users_config_bytes"] = Absent,
        ["proxysql_mysql_firewall_users_table_bytes"] = Absent,
        ["proxysql_mysql_monitor_aws_rds_topology_discovery_interval"] = Absent,
        ["proxysql_mysql_monitor_dns_cache_lookup_success"] = Absent,
        ["proxysql_mysql_monitor_dns_cache_queried"] = Absent,
        ["proxysql_mysql_monitor_dns_cache_record_updated"] = Absent,
        ["proxysql_mysql_listener_paused"] = Absent,
        ["proxysql_monitor_replication_lag_group_by_host"] = Absent,
        ["proxysql_myhgm_auto_increment_multiplex_total"] = Absent,
        ["proxysql_cluster_pulled_total"] = Cluster,
        ["proxysql_cluster_syn_conflict_total"] = Cluster,
        ["proxysql_mysql_thread_workers"] = Threads,
        ["proxysql_mysql_monitor_workers"] = Threads,
        ["proxysql_mysql_monitor_workers_aux"] = Threads,
        ["proxysql_mysql_monitor_workers_started_total"] = Threads,
        ["proxysql_backend_lagging_during_query_total"] = NotYet,
        ["proxysql_backend_offline_during_query_total"] = NotYet,
        ["proxysql_com_autocommit_total"] = NotYet,
        ["proxysql_com_autocommit_filtered_total"] = NotYet,
        ["proxysql_com_backend_change_user_total"] = NotYet,
        ["proxysql_com_backend_init_db_total"] = NotYet,
        ["proxysql_com_backend_set_names_total"] = NotYet,
        ["proxysql_com_backend_stmt_total"] = NotYet,
        ["proxysql_com_frontend_set_names_total"] = NotYet,
        ["proxysql_connpool_get_conn_failure_total"] = NotYet,
        ["proxysql_connpool_get_conn_success_immediate_total"] = NotYet,
        ["proxysql_connpool_get_conn_success_latency_awareness_total"] = NotYet,
        ["proxysql_connpool_get_conn_success_total"] = NotYet,
        ["proxysql_max_connect_timeouts_total"] = NotYet,
        ["proxysql_myhgm_myconnpool_get_ping_total"] = NotYet,
        ["proxysql_mysql_killed_backend_connections_total"] = NotYet,
        ["proxysql_mysql_killed_backend_queries_total"] = NotYet,
        ["proxysql_mysql_unexpected_frontend_com_quit_total"] = NotYet,
        ["proxysql_mysql_unexpected_frontend_packets_total"] = NotYet,
        ["proxysql_queries_frontends_bytes_total"] = NotYet,
        ["proxysql_query_processor_time_seconds_total"] = NotYet,
        ["proxysql_selects_for_update__autocommit0_total"] = NotYet,
        ["proxysql_stmt_cached"] = NotYet,
        ["proxysql_stmt_client_active"] = NotYet,
        ["proxysql_stmt_client_active_unique"] = NotYet,
        ["proxysql_stmt_max_stmt_id"] = NotYet,
        ["proxysql_stmt_server_active_unique"] = NotYet,
    };
}
