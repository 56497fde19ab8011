using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Monitor;

/// <summary>
/// Writes the in-memory monitor logs into the admin <c>monitor.mysql_server_*_log</c> tables a statement is about to
/// read. Stats tables are not this class's business; a host with a stats refresher too calls both.
/// </summary>
internal sealed class MonitorTableRefresher : IAdminTableRefresher
{
    private static readonly (string Table, CheckKind Kind, string Columns)[] Tables =
    [
        ("mysql_server_connect_log", CheckKind.Connect, "connect_success_time_us, connect_error"),
        ("mysql_server_ping_log", CheckKind.Ping, "ping_success_time_us, ping_error"),
        ("mysql_server_read_only_log", CheckKind.ReadOnly, "success_time_us, read_only, error"),
        ("mysql_server_replication_lag_log", CheckKind.ReplicationLag, "success_time_us, repl_lag, error"),
    ];

    private readonly MonitorLogs _logs;

    public MonitorTableRefresher(MonitorLogs logs) => _logs = logs;

    public void Refresh(SqliteConnection connection, IReadOnlySet<string> tables)
    {
        foreach (var (table, kind, columns) in Tables)
        {
            if (tables.Contains(table))
                Rewrite(connection, table, columns, _logs[kind].ToArray(), hasValue: kind is CheckKind.ReadOnly or CheckKind.ReplicationLag);
        }
        if (tables.Contains("mysql_server_galera_log"))
            Galera.GaleraLogTable.Rewrite(connection, _logs.Galera.ToArray());
    }

    private static void Rewrite(SqliteConnection connection, string table, string columns, MonitorLogEntry[] entries, bool hasValue)
    {
        using var transaction = connection.BeginTransaction();
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = $"DELETE FROM monitor.{table}";
            delete.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        // Two checks can share a start microsecond only by clock steps; the later one wins rather than failing the read.
        insert.CommandText = hasValue
            ? $"INSERT OR REPLACE INTO monitor.{table} (hostname, port, time_start_us, {columns}) VALUES (@host, @port, @start, @time, @value, @error)"
            : $"INSERT OR REPLACE INTO monitor.{table} (hostname, port, time_start_us, {columns}) VALUES (@host, @port, @start, @time, @error)";
        var host = insert.Parameters.Add("@host", SqliteType.Text);
        var port = insert.Parameters.Add("@port", SqliteType.Integer);
        var start = insert.Parameters.Add("@start", SqliteType.Integer);
        var time = insert.Parameters.Add("@time", SqliteType.Integer);
        var value = hasValue ? insert.Parameters.Add("@value", SqliteType.Integer) : null;
        var error = insert.Parameters.Add("@error", SqliteType.Text);
        foreach (var entry in entries)
        {
            host.Value = entry.Server.Host;
            port.Value = entry.Server.Port;
            start.Value = entry.TimeStartUs;
            time.Value = entry.SuccessTimeUs;
            value?.Value = (object?)entry.Value ?? DBNull.Value;
            error.Value = (object?)entry.Error ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
