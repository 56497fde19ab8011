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

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("2", 5)]
    [InlineData("7", 10)]
    [InlineData("11", 30)]
    [InlineData("60", 60)]
    [InlineData("301", 600)]
    public void Intervals_round_up_to_proxysqls_steps(string value, int seconds)
    {
        var variables = new Dictionary<string, string>(VariableDefaults.All) { ["admin-stats_mysql_connections"] = value };
        Assert.Equal(seconds, AdminVariables.Parse(variables).Value!.StatsMysqlConnections);
    }

    private static void Record(SqliteConnection connection, long timestamp, long questions, long connected) =>
        HistoryTable.MysqlConnections.Record(connection, timestamp, [0, connected, 0, 0, 0, 0, 0, 0, 0, questions, 0, 0]);

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
