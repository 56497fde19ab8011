using System.Globalization;
using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Stats.History;

/// <summary>
/// One sampled <c>stats_history</c> table with its <c>_hour</c> and <c>_day</c> rollups. Kept as ProxySQL 2.7 keeps
/// them: a row per sample; each completed hour folded into <c>_hour</c> with ProxySQL's aggregate per column; samples
/// dropped after 7 days and hours after 365. ProxySQL creates <c>_day</c> but never writes it; ProxyLayer folds each
/// completed day of samples into it the same way (kept for good: a row a day).
/// </summary>
internal sealed class HistoryTable(string name, IReadOnlyList<string> columns, IReadOnlyList<string> rollupAggregates)
{
    private const long Hour = 3600;
    private const long Day = 24 * Hour;
    /// <summary>How long samples are kept: a week (ProxySQL's); the per-sample copies of other tables keep as long.</summary>
    internal const long SampleRetentionSeconds = 7 * Day;
    private const long HourRetentionSeconds = 365 * Day;

    public string Name { get; } = name;

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>Counters by MAX, the two <c>*_connected</c> gauges by AVG (ProxySQL's choice).</summary>
    public static HistoryTable MysqlConnections { get; } = new("mysql_connections",
        ["Client_Connections_aborted", "Client_Connections_connected", "Client_Connections_created", "Server_Connections_aborted",
         "Server_Connections_connected", "Server_Connections_created", "ConnPool_get_conn_failure", "ConnPool_get_conn_immediate",
         "ConnPool_get_conn_success", "Questions", "Slow_queries", "GTID_consistent_queries"],
        ["MAX", "AVG", "MAX", "MAX", "AVG", "MAX", "MAX", "MAX", "MAX", "MAX", "MAX", "MAX"]);

    public static HistoryTable SystemMemory { get; } = new("system_memory",
        ["allocated", "resident", "active", "mapped", "metadata", "retained"],
        ["AVG", "AVG", "AVG", "AVG", "AVG", "AVG"]);

    /// <summary>
    /// The process's CPU time in clock ticks since it started. ProxySQL rolls these up by SUM (of the cumulative
    /// readings), which ProxyLayer keeps for tools that already read ProxySQL's <c>_hour</c> rows.
    /// </summary>
    public static HistoryTable SystemCpu { get; } = new("system_cpu", ["tms_utime", "tms_stime"], ["SUM", "SUM"]);

    /// <summary>The connection pool's counters (see <c>ConnectionPoolCounters</c>), all by MAX.</summary>
    public static HistoryTable MyhgmConnections { get; } = new("myhgm_connections",
        ["MyHGM_myconnpoll_destroy", "MyHGM_myconnpoll_get", "MyHGM_myconnpoll_get_ok", "MyHGM_myconnpoll_push", "MyHGM_myconnpoll_reset"],
        ["MAX", "MAX", "MAX", "MAX", "MAX"]);

    /// <summary>The query cache: counters by MAX, its size (entries, bytes) by AVG.</summary>
    public static HistoryTable MysqlQueryCache { get; } = new("mysql_query_cache",
        ["count_GET", "count_GET_OK", "count_SET", "bytes_IN", "bytes_OUT", "Entries_Purged", "Entries_In_Cache", "Memory_Bytes"],
        ["MAX", "MAX", "MAX", "MAX", "MAX", "MAX", "AVG", "AVG"]);

    public static IReadOnlyList<HistoryTable> All { get; } = [MysqlConnections, MyhgmConnections, MysqlQueryCache, SystemCpu, SystemMemory];

    /// <summary>The columns after <c>timestamp</c>, as ProxySQL declares them (all <c>INT NOT NULL</c>).</summary>
    public string Definition(string suffix) =>
        $"CREATE TABLE IF NOT EXISTS stats_history.{Name}{suffix} (timestamp INT NOT NULL, " +
        string.Concat(Columns.Select(c => $"{c} INT NOT NULL, ")) + "PRIMARY KEY (timestamp))";

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
        RollUp(connection, timestamp, "_hour", Hour);
        RollUp(connection, timestamp, "_day", Day);
        AdminStore.Execute(connection, $"DELETE FROM stats_history.{Name} WHERE timestamp < {timestamp - SampleRetentionSeconds}");
        AdminStore.Execute(connection, $"DELETE FROM stats_history.{Name}_hour WHERE timestamp < {timestamp - HourRetentionSeconds}");
    }

    /// <summary>
    /// Folds every completed period after the last one already in the rollup (the current one waits until it ends),
    /// from the samples; a period whose samples were already trimmed is not folded again.
    /// </summary>
    private void RollUp(SqliteConnection connection, long timestamp, string suffix, long period)
    {
        using var last = connection.CreateCommand();
        last.CommandText = $"SELECT MAX(timestamp) FROM stats_history.{Name}{suffix}";
        var lastDone = last.ExecuteScalar() is long value ? value : (long?)null;
        var current = timestamp / period * period;
        if (lastDone is { } done && current < done + period * 2)
            return;
        var from = lastDone is { } after ? $"timestamp >= {after + period} AND " : "";
        var aggregates = string.Join(", ", Columns.Select((c, i) => $"{rollupAggregates[i]}({c})"));
        AdminStore.Execute(connection, $"INSERT OR REPLACE INTO stats_history.{Name}{suffix} SELECT timestamp/{period}*{period}, {aggregates} " +
            $"FROM stats_history.{Name} WHERE {from}timestamp < {current.ToString(CultureInfo.InvariantCulture)} GROUP BY timestamp/{period}");
    }
}
