using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Stats.History;

/// <summary>
/// The <c>stats_history</c> tables ProxyLayer fills, as ProxySQL 2.7 defines them. They live in
/// <c>proxysql_stats.db</c>, so the history outlives a restart, as ProxySQL's does.
/// </summary>
internal static class StatsHistoryTables
{
    private const string ConnectionsColumns = "(timestamp INT NOT NULL, Client_Connections_aborted INT NOT NULL, " +
        "Client_Connections_connected INT NOT NULL, Client_Connections_created INT NOT NULL, Server_Connections_aborted INT NOT NULL, " +
        "Server_Connections_connected INT NOT NULL, Server_Connections_created INT NOT NULL, ConnPool_get_conn_failure INT NOT NULL, " +
        "ConnPool_get_conn_immediate INT NOT NULL, ConnPool_get_conn_success INT NOT NULL, Questions INT NOT NULL, " +
        "Slow_queries INT NOT NULL, GTID_consistent_queries INT NOT NULL, PRIMARY KEY (timestamp))";

    private const string MemoryColumns = "(timestamp INT NOT NULL, allocated INT NOT NULL, resident INT NOT NULL, " +
        "active INT NOT NULL, mapped INT NOT NULL, metadata INT NOT NULL, retained INT NOT NULL, PRIMARY KEY (timestamp))";

    public static void EnsureCreated(SqliteConnection connection)
    {
        foreach (var table in new[] { "mysql_connections", "mysql_connections_hour" })
            AdminStore.Execute(connection, $"CREATE TABLE IF NOT EXISTS stats_history.{table} {ConnectionsColumns}");
        foreach (var table in new[] { "system_memory", "system_memory_hour" })
            AdminStore.Execute(connection, $"CREATE TABLE IF NOT EXISTS stats_history.{table} {MemoryColumns}");
    }
}
