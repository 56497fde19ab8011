using Microsoft.Data.Sqlite;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_errors</c> and its <c>_reset</c> twin (which, as in ProxySQL, empties the table once read) from
/// <see cref="BackendErrors"/>. <c>first_seen</c> and <c>last_seen</c> are seconds since the Unix epoch, as ProxySQL's.
/// </summary>
internal static class BackendErrorsStats
{
    public const string Table = "stats_mysql_errors";
    public const string ResetTable = Table + "_reset";

    public static void Write(SqliteConnection connection, BackendErrors errors, bool reset)
    {
        using var table = StatsTableWriter.Replace(connection, reset ? ResetTable : Table,
            "hostgroup", "hostname", "port", "username", "client_address", "schemaname", "errno", "count_star", "first_seen", "last_seen", "last_error");
        foreach (var (key, seen) in errors.Read(reset).OrderBy(r => r.Key.Hostgroup).ThenBy(r => r.Key.Hostname, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Port).ThenBy(r => r.Key.Username, StringComparer.Ordinal).ThenBy(r => r.Key.Schema, StringComparer.Ordinal).ThenBy(r => r.Key.Errno))
        {
            table.Add(key.Hostgroup, key.Hostname, key.Port, key.Username, seen.ClientAddress, key.Schema, key.Errno,
                seen.Count, seen.FirstSeen, seen.LastSeen, seen.Message);
        }
    }
}
