using Microsoft.Data.Sqlite;
using ProxyLayer.Routing;

namespace ProxyLayer.Stats;

/// <summary>
/// Fills <c>stats_mysql_query_digest</c> from the digest table, and <c>_reset</c> by taking the rows and emptying
/// the digest table (so a later read of the plain table starts from zero, as in ProxySQL).
/// </summary>
internal static class DigestStats
{
    public const string Table = "stats_mysql_query_digest";
    public const string ResetTable = Table + "_reset";

    private static readonly string[] Columns =
    [
        "hostgroup", "schemaname", "username", "client_address", "digest", "digest_text", "count_star", "first_seen",
        "last_seen", "sum_time", "min_time", "max_time", "sum_rows_affected", "sum_rows_sent",
    ];

    public static void Write(SqliteConnection connection, DigestTable digests, bool reset)
    {
        var rows = reset ? digests.TakeAndReset() : digests.Snapshot();
        using var table = StatsTableWriter.Replace(connection, reset ? ResetTable : Table, Columns);
        foreach (var row in rows)
        {
            var key = row.Key;
            table.Add(key.Hostgroup, key.Schema, key.Username, key.ClientAddress, QueryDigest.FormatHash(key.Hash), row.Text,
                row.CountStar, row.FirstSeen, row.LastSeen, row.SumTime, row.MinTime, row.MaxTime, row.SumRowsAffected, row.SumRowsSent);
        }
    }
}
