using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>
/// Maps one admin table to one config record type, every column both ways (SQL NULL ↔ null). Reads and writes
/// any schema-qualified table with the same columns: <c>main.t</c>, <c>disk.t</c>, <c>main.runtime_t</c>.
/// </summary>
internal sealed class TableMap<T>(
    string table,
    string[] columns,
    Func<T, object?[]> toValues,
    Func<RowReader, T> fromRow,
    Func<RowReader, string> describeRow)
{
    public string Table => table;

    public ImmutableArray<T> Read(SqliteConnection connection, string qualifiedTable, string suffix = "")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {qualifiedTable} {suffix}";
        using var reader = command.ExecuteReader();
        var rowReader = new RowReader(reader, table, describeRow);
        var rows = ImmutableArray.CreateBuilder<T>();
        while (reader.Read())
            rows.Add(fromRow(rowReader));
        return rows.ToImmutable();
    }

    /// <summary>Inserts <paramref name="rows"/>; with <paramref name="orReplace"/> a row with the same key replaces the old one (merge).</summary>
    public int Write(SqliteConnection connection, string qualifiedTable, IEnumerable<T> rows, bool orReplace)
    {
        using var command = connection.CreateCommand();
        var parameters = columns.Select((_, i) => "@p" + i).ToArray();
        command.CommandText =
            $"INSERT {(orReplace ? "OR REPLACE " : "")}INTO {qualifiedTable} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", parameters)})";
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        var count = 0;
        foreach (var row in rows)
        {
            var values = toValues(row);
            for (var i = 0; i < values.Length; i++)
                command.Parameters[i].Value = values[i] switch
                {
                    null => DBNull.Value,
                    bool flag => flag ? 1 : 0,
                    var value => value,
                };
            count += command.ExecuteNonQuery();
        }
        return count;
    }
}
