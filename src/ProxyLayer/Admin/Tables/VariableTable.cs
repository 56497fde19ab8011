using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>Reads and writes rows of <c>global_variables</c> (name → value) in any schema.</summary>
internal static class VariableTable
{
    public static ImmutableSortedDictionary<string, string> Read(SqliteConnection connection, string qualifiedTable, string? prefix = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT variable_name, variable_value FROM {qualifiedTable}" +
            (prefix is null ? "" : " WHERE variable_name LIKE @prefix || '%'");
        if (prefix is not null)
            command.Parameters.AddWithValue("@prefix", prefix);
        using var reader = command.ExecuteReader();
        var variables = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
            variables[reader.GetString(0)] = reader.GetString(1);
        return variables.ToImmutable();
    }

    /// <summary>INSERT OR REPLACE: variables are merged, never deleted (spec §2.2).</summary>
    public static int Merge(SqliteConnection connection, string qualifiedTable, IEnumerable<KeyValuePair<string, string>> variables)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT OR REPLACE INTO {qualifiedTable} (variable_name, variable_value) VALUES (@name, @value)";
        var name = command.Parameters.Add("@name", SqliteType.Text);
        var value = command.Parameters.Add("@value", SqliteType.Text);
        var count = 0;
        foreach (var (key, text) in variables)
        {
            name.Value = key;
            value.Value = text;
            count += command.ExecuteNonQuery();
        }
        return count;
    }
}
