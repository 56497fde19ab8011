using System.Globalization;
using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Stats.History;

/// <summary>
/// One sampled <c>stats_history</c> table and its <c>_hour</c> rollup, kept as ProxySQL keeps them: a row per sample,
/// each completed hour folded into <c>_hour</c> (counters by MAX, gauges by AVG), samples dropped after 7 days and
/// hours after 365.
/// </summary>
internal sealed class HistoryTable(string name, IReadOnlyList<string> columns, IReadOnlyList<string> hourAggregates)
{
    private const long SampleRetentionSeconds = 7 * 24 * 3600;
    private const long HourRetentionSeconds = 365 * 24 * 3600;

    public string Name { get; } = name;

    public static HistoryTable MysqlConnections { get; } = new("mysql_connections",
        ["Client_Connections_aborted", "Client_Connections_connected", "Client_Connections_created", "Server_Connections_aborted",
         "Server_Connections_connected", "Server_Connections_created", "ConnPool_get_conn_failure", "ConnPool_get_conn_immediate",
         "ConnPool_get_conn_success", "Questions", "Slow_queries", "GTID_consistent_queries"],
        ["MAX", "AVG", "MAX", "MAX", "AVG", "MAX", "MAX", "MAX", "MAX", "MAX", "MAX", "MAX"]);

    public static HistoryTable SystemMemory { get; } = new("system_memory",
        ["allocated", "resident", "active", "mapped", "metadata", "retained"],
        ["AVG", "AVG", "AVG", "AVG", "AVG", "AVG"]);

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>Adds the sample taken at <paramref name="timestamp"/> (Unix seconds), then rolls up and trims.</summary>
    public void Record(SqliteConnection connection, long timestamp, IReadOnlyList<long> values)
    {
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT OR REPLACE INTO stats_history.{Name} VALUES (@t{string.Concat(Columns.Select((_, i) => $", @v{i}"))})";
            insert.Parameters.AddWithValue("@t", timestamp);
            for (var i = 0; i < Columns.Count; i++)
                insert.Parameters.AddWithValue($"@v{i}", values[i]);
            insert.ExecuteNonQuery();
        }
        RollUp(connection, timestamp);
        AdminStore.Execute(connection, $"DELETE FROM stats_history.{Name} WHERE timestamp < {timestamp - SampleRetentionSeconds}");
        AdminStore.Execute(connection, $"DELETE FROM stats_history.{Name}_hour WHERE timestamp < {timestamp - HourRetentionSeconds}");
    }

    /// <summary>Folds every completed hour after the last one already in <c>_hour</c> (the current hour waits until it ends).</summary>
    private void RollUp(SqliteConnection connection, long timestamp)
    {
        using var last = connection.CreateCommand();
        last.CommandText = $"SELECT MAX(timestamp) FROM stats_history.{Name}_hour";
        var lastHour = last.ExecuteScalar() is long value ? value : (long?)null;
        var currentHour = timestamp / 3600 * 3600;
        if (lastHour is { } done && currentHour < done + 3600 * 2)
            return;
        var from = lastHour is { } after ? $"timestamp >= {after + 3600} AND " : "";
        var aggregates = string.Join(", ", Columns.Select((c, i) => $"{hourAggregates[i]}({c})"));
        AdminStore.Execute(connection, $"INSERT OR REPLACE INTO stats_history.{Name}_hour SELECT timestamp/3600*3600, {aggregates} " +
            $"FROM stats_history.{Name} WHERE {from}timestamp < {currentHour.ToString(CultureInfo.InvariantCulture)} GROUP BY timestamp/3600");
    }
}
