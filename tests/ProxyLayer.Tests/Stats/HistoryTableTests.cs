using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;
using ProxyLayer.Config;
using ProxyLayer.Stats.History;

namespace ProxyLayer.Tests.Stats;

/// <summary>The <c>stats_history</c> bookkeeping ProxySQL does: hourly rollups of completed hours, then retention.</summary>
public sealed class HistoryTableTests
{
    private const long Hour = 1_800_000_000 / 3600 * 3600;

    [Fact]
    public void A_completed_hour_is_rolled_up_once_with_counters_at_their_max_and_gauges_averaged()
    {
        using var store = AdminStore.OpenInMemory();
        store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            Record(connection, Hour + 10, questions: 100, connected: 2);
            Record(connection, Hour + 1800, questions: 250, connected: 4);
            Assert.Empty(Rows(connection, "mysql_connections_hour"));      // the hour is still going on

            Record(connection, Hour + 3600 + 5, questions: 300, connected: 9);
            Record(connection, Hour + 3600 + 900, questions: 320, connected: 9);
            Assert.Equal([$"{Hour}|250|3"], Rows(connection, "mysql_connections_hour"));

            Record(connection, Hour + 7200 + 1, questions: 400, connected: 1);
            Assert.Equal([$"{Hour}|250|3", $"{Hour + 3600}|320|9"], Rows(connection, "mysql_connections_hour"));
            return 0;
        });
    }

    [Fact]
    public void Samples_are_kept_seven_days_and_hours_a_year()
    {
        using var store = AdminStore.OpenInMemory();
        store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            Record(connection, Hour, questions: 1, connected: 1);
            Record(connection, Hour + 3600, questions: 2, connected: 1);
            Record(connection, Hour + 7 * 86400 + 10, questions: 3, connected: 1);
            Assert.Equal(2, Rows(connection, "mysql_connections").Count);      // the first sample is over 7 days old
            Assert.Equal($"{Hour}|1|1", Rows(connection, "mysql_connections_hour")[0]);
            Record(connection, Hour + 366L * 86400, questions: 4, connected: 1);
            Assert.DoesNotContain(Rows(connection, "mysql_connections_hour"), r => r.StartsWith($"{Hour}|", StringComparison.Ordinal));
            return 0;
        });
    }

    [Fact]
    public void A_completed_day_is_folded_into_the_day_table_from_its_samples()
    {
        const long day = 1_800_000_000 / 86400 * 86400;
        using var store = AdminStore.OpenInMemory();
        store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            Record(connection, day + 100, questions: 10, connected: 2);
            Record(connection, day + 50_000, questions: 90, connected: 6);
            Record(connection, day + 86_399, questions: 95, connected: 4);
            Assert.Empty(Rows(connection, "mysql_connections_day"));       // the day is still going on

            Record(connection, day + 86_400 + 60, questions: 100, connected: 1);
            Assert.Equal([$"{day}|95|4"], Rows(connection, "mysql_connections_day"));
            Record(connection, day + 86_400 + 120, questions: 101, connected: 1);
            Assert.Single(Rows(connection, "mysql_connections_day"));      // folded once

            // Hours of the first day were folded on the way: 24 hours with samples in 3 of them.
            Assert.Equal(3, Rows(connection, "mysql_connections_hour").Count);
            return 0;
        });
    }

    [Fact]
    public void Cpu_hours_are_sums_and_memory_hours_averages_as_ProxySQL_computes_them()
    {
        using var store = AdminStore.OpenInMemory();
        var (cpu, memory) = store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            HistoryTable.SystemCpu.Record(connection, Hour + 1, [100, 10]);
            HistoryTable.SystemCpu.Record(connection, Hour + 61, [130, 12]);
            HistoryTable.SystemCpu.Record(connection, Hour + 3601, [200, 20]);
            HistoryTable.SystemMemory.Record(connection, Hour + 1, [10, 20, 30, 40, 50, 60]);
            HistoryTable.SystemMemory.Record(connection, Hour + 61, [30, 40, 50, 60, 70, 80]);
            HistoryTable.SystemMemory.Record(connection, Hour + 3601, [1, 1, 1, 1, 1, 1]);
            return (Select(connection, "SELECT timestamp, tms_utime, tms_stime FROM stats_history.system_cpu_hour"),
                Select(connection, "SELECT timestamp, allocated, retained FROM stats_history.system_memory_hour"));
        });
        Assert.Equal([$"{Hour}|230|22"], cpu);
        Assert.Equal([$"{Hour}|20|70"], memory);
    }

    [Fact]
    public void Query_cache_hours_keep_counters_at_their_max_and_average_the_size()
    {
        using var store = AdminStore.OpenInMemory();
        var rows = store.Run(connection =>
        {
            StatsHistoryTables.EnsureCreated(connection);
            HistoryTable.MysqlQueryCache.Record(connection, Hour + 1, [5, 1, 4, 100, 10, 0, 4, 1000]);
            HistoryTable.MysqlQueryCache.Record(connection, Hour + 2, [9, 3, 6, 150, 30, 2, 2, 3000]);
            HistoryTable.MysqlQueryCache.Record(connection, Hour + 3600, [9, 3, 6, 150, 30, 2, 2, 3000]);
            return Select(connection, "SELECT count_GET, count_GET_OK, Entries_Purged, Entries_In_Cache, Memory_Bytes FROM stats_history.mysql_query_cache_hour");
        });
        Assert.Equal(["9|3|2|3|2000"], rows);
    }

    [Theory]
    [InlineData("admin-stats_system_cpu", "7", 10)]
    [InlineData("admin-stats_mysql_query_cache", "45", 60)]
    [InlineData("admin-stats_mysql_query_digest_to_disk", "7", 7)]        // ProxySQL does not round this one
    [InlineData("admin-stats_mysql_query_digest_to_disk", "0", 0)]
    public void Other_intervals_are_read_as_ProxySQL_reads_them(string name, string value, int seconds)
    {
        var variables = new Dictionary<string, string>(VariableDefaults.All) { [name] = value };
        var admin = AdminVariables.Parse(variables).Value!;
        Assert.Equal(seconds, name switch
        {
            "admin-stats_system_cpu" => admin.StatsSystemCpu,
            "admin-stats_mysql_query_cache" => admin.StatsMysqlQueryCache,
            _ => admin.StatsMysqlQueryDigestToDisk,
        });
    }

    [Theory]
    [InlineData("admin-stats_mysql_query_cache", "301")]
    [InlineData("admin-stats_mysql_connections", "301")]
    [InlineData("admin-stats_system_cpu", "601")]
    [InlineData("admin-stats_mysql_query_digest_to_disk", "86401")]
    public void Intervals_out_of_ProxySQLs_range_are_refused(string name, string value)
    {
        var variables = new Dictionary<string, string>(VariableDefaults.All) { [name] = value };
        Assert.False(AdminVariables.Parse(variables).Succeeded);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("2", 5)]
    [InlineData("7", 10)]
    [InlineData("11", 30)]
    [InlineData("60", 60)]
    [InlineData("300", 300)]
    public void Intervals_round_up_to_proxysqls_steps(string value, int seconds)
    {
        var variables = new Dictionary<string, string>(VariableDefaults.All) { ["admin-stats_mysql_connections"] = value };
        Assert.Equal(seconds, AdminVariables.Parse(variables).Value!.StatsMysqlConnections);
    }

    private static void Record(SqliteConnection connection, long timestamp, long questions, long connected) =>
        HistoryTable.MysqlConnections.Record(connection, timestamp, [0, connected, 0, 0, 0, 0, 0, 0, 0, questions, 0, 0]);

    private static List<string> Select(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    /// <summary>timestamp|Questions|Client_Connections_connected per row, oldest first.</summary>
    private static List<string> Rows(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT timestamp, Questions, Client_Connections_connected FROM stats_history.{table} ORDER BY timestamp";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add($"{reader.GetInt64(0)}|{reader.GetInt64(1)}|{reader.GetValue(2)}");
        return rows;
    }
}
