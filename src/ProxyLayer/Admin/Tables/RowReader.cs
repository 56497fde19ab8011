using System.Globalization;
using Microsoft.Data.Sqlite;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// Typed access to the current row of an admin table. SQLite keeps whatever a user inserted (INT affinity keeps
/// 'abc' as text), so conversions report the table, the row's key and the column instead of throwing a bare cast error.
/// </summary>
internal sealed class RowReader(SqliteDataReader reader, string table, Func<RowReader, string> describeRow)
{
    public string Text(string column) =>
        NullableText(column) ?? throw Invalid(column, "NULL", "must not be NULL");

    public string? NullableText(string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public int Int(string column) =>
        NullableInt(column) ?? throw Invalid(column, "NULL", "must not be NULL");

    public int? NullableInt(string column)
    {
        var ordinal = reader.GetOrdinal(column);
        if (reader.IsDBNull(ordinal))
            return null;
        var value = reader.GetValue(ordinal);
        switch (value)
        {
            case long number when number is >= int.MinValue and <= int.MaxValue:
                return (int)number;
            case double number when number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue:
                return (int)number;
            case string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw Invalid(column, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", "is not a 32-bit integer");
        }
    }

    public bool Bool(string column) => Int(column) != 0;

    /// <summary>The table's CHECK compares <c>UPPER(status)</c>, so any case is accepted.</summary>
    public ServerStatus ServerStatus(string column)
    {
        var text = Text(column);
        return ServerStatusText.TryParse(text, out var status) ? status : throw Invalid(column, text, "is not a server status");
    }

    /// <summary>Raw text of a column, for naming a row in an error before its typed columns are known to be valid.</summary>
    public string Raw(string column) => NullableText(column) ?? "NULL";

    private AdminRowException Invalid(string column, string value, string reason) =>
        new($"{table} row ({describeRow(this)}): {column} '{value}' {reason}");
}
