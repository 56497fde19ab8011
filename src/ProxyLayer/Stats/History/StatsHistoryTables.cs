using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Stats.History;

/// <summary>
/// Every <c>stats_history</c> table of ProxySQL 2.7.2 (MySQL side), with its columns and indexes. They live in
/// <c>proxysql_stats.db</c>, so the history outlives a restart, as ProxySQL's does.
/// </summary>
internal static class StatsHistoryTables
{
    private static readonly string[] Unsampled =
    [
        "history_mysql_query_digest (dump_time INT, hostgroup INT, schemaname VARCHAR NOT NULL, username VARCHAR NOT NULL, " +
        "client_address VARCHAR NOT NULL, digest VARCHAR NOT NULL, digest_text VARCHAR NOT NULL, count_star INTEGER NOT NULL, " +
        "first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, sum_time INTEGER NOT NULL, min_time INTEGER NOT NULL, " +
        "max_time INTEGER NOT NULL, sum_rows_affected INTEGER NOT NULL, sum_rows_sent INTEGER NOT NULL)",
        "history_mysql_status_variables (timestamp INT NOT NULL, variable_id INT NOT NULL, variable_value VARCHAR NOT NULL, " +
        "PRIMARY KEY (timestamp, variable_id))",
        "history_mysql_status_variables_lookup (variable_id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, " +
        "variable_name VARCHAR NOT NULL, UNIQUE (variable_name))",
        "history_stats_mysql_connection_pool (timestamp INT NOT NULL, hostgroup INT, srv_host VARCHAR, srv_port INT, " +
        "status VARCHAR, ConnUsed INT, ConnFree INT, ConnOK INT, ConnERR INT, MaxConnUsed INT, Queries INT, " +
        "Queries_GTID_sync INT, Bytes_data_sent INT, Bytes_data_recv INT, Latency_us INT, " +
        "PRIMARY KEY (timestamp, hostgroup, srv_host, srv_port))",
    ];

    private static readonly string[] Indexes =
    [
        "idx_history_mysql_query_digest_first_seen ON history_mysql_query_digest (first_seen)",
        "idx_history_mysql_query_digest_dump_time ON history_mysql_query_digest (dump_time)",
        "idx_history_mysql_status_variable_id_timestamp ON history_mysql_status_variables (variable_id, timestamp)",
    ];

    public static void EnsureCreated(SqliteConnection connection)
    {
        foreach (var table in HistoryTable.All)
        {
            foreach (var suffix in new[] { "", "_hour", "_day" })
                AdminStore.Execute(connection, table.Definition(suffix));
        }
        foreach (var definition in Unsampled)
            AdminStore.Execute(connection, $"CREATE TABLE IF NOT EXISTS stats_history.{definition}");
        foreach (var index in Indexes)
            AdminStore.Execute(connection, $"CREATE INDEX IF NOT EXISTS stats_history.{index}");
    }
}
