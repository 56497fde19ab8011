using Microsoft.Data.Sqlite;
using ProxyLayer.Routing;

namespace ProxyLayer.Stats.History;

/// <summary>
/// <c>history_mysql_query_digest</c>: <c>SAVE MYSQL DIGEST TO DISK</c> (or <c>admin-stats_mysql_query_digest_to_disk</c>)
/// appends the digest table's rows stamped with the dump time and empties the digest table, as ProxySQL does, so each
/// dump holds what ran since the one before. ProxySQL never trims this table, and neither does ProxyLayer.
/// </summary>
internal static class DigestHistory
{
    /// <summary>Writes <paramref name="rows"/> in one transaction; returns how many.</summary>
    public static int Write(SqliteConnection connection, long dumpTime, IReadOnlyList<DigestRow> rows)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO stats_history.history_mysql_query_digest VALUES " +
            "(@dump, @hg, @schema, @user, @client, @digest, @text, @count, @first, @last, @sum, @min, @max, @affected, @sent)";
        string[] names = ["@hg", "@schema", "@user", "@client", "@digest", "@text", "@count", "@first", "@last", "@sum", "@min", "@max",
            "@affected", "@sent"];
        foreach (var row in rows)
        {
            var key = row.Key;
            object[] values = [key.Hostgroup, key.Schema, key.Username, key.ClientAddress, QueryDigest.FormatHash(key.Hash), row.Text,
                row.CountStar, row.FirstSeen, row.LastSeen, row.SumTime, row.MinTime, row.MaxTime, row.SumRowsAffected, row.SumRowsSent];
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("@dump", dumpTime);
            for (var i = 0; i < values.Length; i++)
                insert.Parameters.AddWithValue(names[i], values[i]);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return rows.Count;
    }
}
