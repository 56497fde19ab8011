using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Stats.History;

/// <summary>
/// <c>history_stats_mysql_connection_pool</c>: a copy of <c>stats_mysql_connection_pool</c>'s rows at each
/// <c>admin-stats_mysql_connections</c> sample, as ProxySQL writes it (with its metrics feature) on the same timer.
/// </summary>
internal static class ConnectionPoolHistory
{
    /// <summary>ProxySQL keeps these rows for good; a week, as the samples, keeps them from growing without bound.</summary>
    private const long RetentionSeconds = HistoryTable.SampleRetentionSeconds;

    private const string Columns = "hostgroup, srv_host, srv_port, status, ConnUsed, ConnFree, ConnOK, ConnERR, MaxConnUsed, " +
        "Queries, Queries_GTID_sync, Bytes_data_sent, Bytes_data_recv, Latency_us";

    /// <summary>Copies the rows; the caller has just refreshed <c>stats_mysql_connection_pool</c> on this connection.</summary>
    public static void Record(SqliteConnection connection, long timestamp)
    {
        AdminStore.Execute(connection, $"INSERT OR REPLACE INTO stats_history.history_stats_mysql_connection_pool SELECT {timestamp}, {Columns} " +
            "FROM stats.stats_mysql_connection_pool");
        AdminStore.Execute(connection, $"DELETE FROM stats_history.history_stats_mysql_connection_pool WHERE timestamp < {timestamp - RetentionSeconds}");
    }
}
