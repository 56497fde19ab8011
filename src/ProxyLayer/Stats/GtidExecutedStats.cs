using Microsoft.Data.Sqlite;
using ProxyLayer.Backends;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_gtid_executed</c>: each server's applied GTID position as the monitor last read it (MariaDB
/// <c>@@gtid_current_pos</c>, MySQL <c>@@gtid_executed</c>, while read-your-writes is in use), and <c>events</c>, how many times it was seen to move.
/// ProxySQL fills it from its binlog readers; ProxyLayer reads the servers directly.
/// </summary>
internal static class GtidExecutedStats
{
    public const string Table = "stats_mysql_gtid_executed";

    public static void Write(SqliteConnection connection, IReadOnlyCollection<BackendServer> servers)
    {
        using var table = StatsTableWriter.Replace(connection, Table, "hostname", "port", "gtid_executed", "events");
        foreach (var server in servers.OrderBy(s => s.Hostname, StringComparer.Ordinal).ThenBy(s => s.Port))
        {
            if (server.AppliedGtidsText is { } position)
                table.Add(server.Hostname, server.Port, position, server.GtidPositionChanges);
        }
    }
}
