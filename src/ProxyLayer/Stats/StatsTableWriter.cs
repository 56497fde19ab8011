using Microsoft.Data.Sqlite;

namespace ProxyLayer.Stats;

/// <summary>
/// Replaces the rows of one <c>stats.*</c> table: deletes them, then inserts through one prepared, parameterised
/// command. Admin-side only (runs under the admin store's lock), so per-row allocation does not matter.
/// </summary>
internal sealed class StatsTableWriter : IDisposable
{
    private readonly SqliteCommand _insert;

    private StatsTableWriter(SqliteCommand insert) => _insert = insert;

    /// <summary>Empties <c>stats.<paramref name="table"/></c> and prepares inserts of <paramref name="columns"/>.</summary>
    public static StatsTableWriter Replace(SqliteConnection connection, string table, params string[] columns)
    {
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = $"DELETE FROM stats.{table}";
            delete.ExecuteNonQuery();
        }
        var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO stats.{table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < columns.Length; i++)
            insert.Parameters.Add(new SqliteParameter("$p" + i, null));
        return new StatsTableWriter(insert);
    }

    /// <summary>Inserts one row; values in column order, null for SQL NULL.</summary>
    public void Add(params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        _insert.ExecuteNonQuery();
    }

    public void Dispose() => _insert.Dispose();
}
