namespace ProxyLayer.Admin;

/// <summary>
/// The built-in values written to <c>global_variables</c> when the store opens. The one seam for defaults: replace
/// the list with the config reader's <c>VariableDefaults</c> once that lands, so both agree on every name.
/// </summary>
internal static class GlobalVariableDefaults
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["mysql-threads"] = "4",
        ["mysql-max_connections"] = "10000",
        ["mysql-default_query_delay"] = "0",
        ["mysql-default_query_timeout"] = "86400000",
        ["mysql-have_compress"] = "true",
        ["mysql-poll_timeout"] = "2000",
        ["mysql-interfaces"] = "0.0.0.0:6033",
        ["mysql-default_schema"] = "information_schema",
        ["mysql-stacksize"] = "1048576",
        ["mysql-server_version"] = "8.0.11",
        ["mysql-connect_timeout_server"] = "1000",
        ["mysql-connect_timeout_server_max"] = "10000",
        ["mysql-connect_retries_on_failure"] = "10",
        ["mysql-connect_retries_delay"] = "1",
        ["mysql-monitor_username"] = "monitor",
        ["mysql-monitor_password"] = "monitor",
        ["mysql-monitor_history"] = "7200000",
        ["mysql-monitor_connect_interval"] = "120000",
        ["mysql-monitor_connect_timeout"] = "600",
        ["mysql-monitor_ping_interval"] = "8000",
        ["mysql-monitor_ping_timeout"] = "1000",
        ["mysql-monitor_ping_max_failures"] = "3",
        ["mysql-monitor_read_only_interval"] = "1000",
        ["mysql-monitor_read_only_timeout"] = "800",
        ["mysql-monitor_read_only_max_timeout_count"] = "3",
        ["mysql-monitor_replication_lag_interval"] = "10000",
        ["mysql-monitor_replication_lag_timeout"] = "1000",
        ["mysql-monitor_slave_lag_when_null"] = "60",
        ["mysql-monitor_writer_is_also_reader"] = "true",
        ["mysql-shun_on_failures"] = "5",
        ["mysql-shun_recovery_time_sec"] = "10",
        ["mysql-query_retries_on_failure"] = "1",
        ["mysql-free_connections_pct"] = "10",
        ["mysql-multiplexing"] = "true",
        ["mysql-query_digests"] = "true",
        ["mysql-default_max_latency_ms"] = "1000",
        ["mysql-wait_timeout"] = "28800000",
        ["mysql-init_connect"] = "",
        ["admin-admin_credentials"] = "admin:admin",
        ["admin-stats_credentials"] = "stats:stats",
        ["admin-mysql_ifaces"] = "0.0.0.0:6032",
        ["admin-refresh_interval"] = "2000",
        ["admin-read_only"] = "false",
        ["admin-version"] = "0.1.0",
        ["admin-restapi_enabled"] = "false",
        ["admin-restapi_port"] = "6070",
        ["admin-web_enabled"] = "false",
        ["admin-web_port"] = "6080",
    };

    /// <summary>Variables a running proxy cannot change: a new value only takes effect after restart (spec §2.2).</summary>
    public static IReadOnlySet<string> RestartOnly { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "mysql-threads", "mysql-stacksize", "mysql-interfaces",
    };
}
