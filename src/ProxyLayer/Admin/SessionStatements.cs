using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>
/// <c>SET mysql-x = v</c> / <c>SET admin-x = v</c> (an UPDATE of <c>main.global_variables</c>; LOAD makes it live)
/// and the session statements clients and dump tools send, which the admin accepts and ignores (spec §9).
/// </summary>
internal static partial class SessionStatements
{
    /// <param name="statement">The original text: a quoted value keeps its inner whitespace.</param>
    public static AdminResult? TryAnswer(SqliteConnection connection, string statement, string normalized)
    {
        var set = SetGlobalVariable().Match(statement.Trim().TrimEnd(';').TrimEnd());
        if (set.Success)
            return SetVariable(connection, set.Groups["name"].Value, Unquote(set.Groups["value"].Value.Trim()));
        return IsIgnored(normalized) ? new AdminResult.Ok() : null;
    }

    /// <summary>An unknown name is not an error in ProxySQL: an OK packet carries the complaint.</summary>
    private static AdminResult.Ok SetVariable(SqliteConnection connection, string name, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE main.global_variables SET variable_value=@value WHERE variable_name=@name COLLATE NOCASE";
        command.Parameters.AddWithValue("@value", value);
        command.Parameters.AddWithValue("@name", name);
        var updated = command.ExecuteNonQuery();
        return updated == 0
            ? new AdminResult.Ok(0, $"ERROR: Unknown global variable: '{name}'.")
            : new AdminResult.Ok(updated);
    }

    private static bool IsIgnored(string normalized) =>
        normalized.StartsWith("/*!", StringComparison.Ordinal) || IgnoredStatement().IsMatch(normalized);

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == value[^1] && value[0] is '\'' or '"')
        {
            var quote = value[0];
            return value[1..^1].Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal);
        }
        return value;
    }

    [GeneratedRegex(@"^SET\s+(?<name>(?:mysql|admin)-[^\s=]+)\s*=\s*(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SetGlobalVariable();

    // Any other SET (NAMES, autocommit, character_set_results, SQL_SAFE_UPDATES, @@session.x …) has no meaning here.
    [GeneratedRegex(@"^(?:SET .*|BEGIN(?: .*)?|START TRANSACTION(?: .*)?|COMMIT(?: WORK)?|ROLLBACK(?: WORK)?|USE .+|LOCK TABLES? .*|UNLOCK TABLES?)$",
        RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex IgnoredStatement();
}
