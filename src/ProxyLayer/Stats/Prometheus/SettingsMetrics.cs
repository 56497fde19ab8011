using System.Reflection;
using ProxyLayer.Config;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// ProxySQL's gauges that show configuration (<c>mysql-max_connections</c>, the monitor's intervals) and the
/// version, from the running snapshot, in ProxySQL's units.
/// </summary>
internal static class SettingsMetrics
{
    public static void Write(ExpositionWriter writer, RuntimeSnapshot snapshot)
    {
        var s = snapshot.Settings;
        Gauge(writer, "proxysql_mysql_wait_timeout", "If a proxy session has been idle for more than this threshold, the proxy will kill the session.", s.WaitTimeout);
        Gauge(writer, "proxysql_mysql_max_connections", "The maximum number of client connections that the proxy can handle.", s.MaxConnections);
        Gauge(writer, "proxysql_mysql_monitor_enabled", "Enables or disables MySQL Monitor.", s.MonitorEnabled ? 1 : 0);
        Gauge(writer, "proxysql_mysql_monitor_ping_interval", "How frequently a ping check is performed, in seconds.", s.MonitorPingInterval / 1000.0);
        Gauge(writer, "proxysql_mysql_monitor_ping_timeout_seconds", "Ping timeout in seconds.", s.MonitorPingTimeout / 1000.0);
        Gauge(writer, "proxysql_mysql_monitor_ping_max_failures", "Reached maximum ping attempts from monitor.", s.MonitorPingMaxFailures);
        Gauge(writer, "proxysql_mysql_monitor_read_only_interval_seconds", "How frequently a read only check is performed, in seconds.", s.MonitorReadOnlyInterval / 1000.0);
        Gauge(writer, "proxysql_mysql_monitor_read_only_timeout_seconds", "Read only check timeout in seconds.", s.MonitorReadOnlyTimeout / 1000.0);
        Gauge(writer, "proxysql_mysql_monitor_writer_is_also_reader", "Encodes different behaviors for nodes depending on their 'READ_ONLY' flag value.", s.MonitorWriterIsAlsoReader ? 1 : 0);
        Gauge(writer, "proxysql_mysql_monitor_replication_lag_interval_seconds", "How frequently a replication lag check is performed, in seconds.", s.MonitorReplicationLagInterval / 1000.0);
        Gauge(writer, "proxysql_mysql_monitor_replication_lag_timeout_seconds", "Replication lag check timeout in seconds.", s.MonitorReplicationLagTimeout / 1000.0);
        Gauge(writer, "proxysql_mysql_monitor_history_timeout_seconds", "The duration for which the events for the checks made by the Monitor module are kept, in seconds.", s.MonitorHistory / 1000.0);

        var version = typeof(SettingsMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        writer.Family("proxysql_version_info", MetricType.Gauge, "ProxySQL version.")
            .Sample([("version", version), ("version_comment", $"ProxyLayer {version} (answers as {s.ServerVersion})")], 1);
    }

    private static void Gauge(ExpositionWriter writer, string name, string help, double value) =>
        writer.Family(name, MetricType.Gauge, help).Sample(value);
}
