using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>Runs a statement on SQLite and turns the outcome into an <see cref="AdminResult"/> (every value as text).</summary>
internal static partial class SqliteStatementRunner
{
    public static AdminResult Run(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            using var reader = command.ExecuteReader();
            if (reader.FieldCount == 0)
                return new AdminResult.Ok(Math.Max(0, reader.RecordsAffected));
            var columns = new string[reader.FieldCount];
            for (var i = 0; i < columns.Length; i++)
                columns[i] = reader.GetName(i);
            var rows = new List<string?[]>();
            while (reader.Read())
            {
                var row = new string?[columns.Length];
                // GetString asks SQLite for the text form (sqlite3_column_text), the same text ProxySQL sends.
                for (var i = 0; i < row.Length; i++)
                    row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                rows.Add(row);
            }
            return new AdminResult.Rows(columns, rows);
        }
        catch (SqliteException e)
        {
            return ToError(e);
        }
    }

    /// <summary>ProxySQL passes sqlite3_errmsg through: 1045/28000, or 1205/HY000 for lock waits (spec §2).</summary>
    public static AdminResult.Error ToError(SqliteException e)
    {
        var message = SqliteMessage().Match(e.Message) is { Success: true } match ? match.Groups[1].Value : e.Message;
        return e.SqliteErrorCode is 5 or 6 // SQLITE_BUSY, SQLITE_LOCKED
            ? new AdminResult.Error(1205, "HY000", "ProxySQL Admin Error: " + message)
            : AdminResult.Error.Admin(message);
    }

    // Microsoft.Data.Sqlite wraps the SQLite text as: SQLite Error 1: 'near "SELEC": syntax error'.
    [GeneratedRegex(@"^SQLite Error \d+: '(.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex SqliteMessage();
}
