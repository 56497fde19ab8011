using Microsoft.Data.Sqlite;

namespace ProxyLayer.Stats;

/// <summary>Fills <c>stats_mysql_commands_counters</c>: every command, in ProxySQL's order, zero rows included.</summary>
internal static class CommandCountersStats
{
    public const string Table = "stats_mysql_commands_counters";

    private static readonly string[] Columns = ["Command", "Total_Time_us", "Total_cnt", .. CommandCounters.BucketNames];

    public static void Write(SqliteConnection connection, CommandCounters counters)
    {
        using var table = StatsTableWriter.Replace(connection, Table, Columns);
        foreach (var row in counters.Snapshot())
            table.Add([row.Name, row.TotalTimeMicroseconds, row.TotalCount, .. row.Buckets.Select(static b => (object?)b)]);
    }
}
