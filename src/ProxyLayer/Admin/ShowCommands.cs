using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>
/// The MySQL <c>SHOW …</c> statements an admin client sends, answered from SQLite's catalogue and
/// <c>global_variables</c> (spec §9), plus ProxySQL's <c>SHOW MYSQL SERVERS</c>-style shortcuts.
/// </summary>
internal static partial class ShowCommands
{
    private static readonly string[] SchemasSearchedForTables = ["main", "stats", "monitor", "disk", "stats_history"];

    public static AdminResult? TryAnswer(SqliteConnection connection, string normalized, AdminSessionContext context)
    {
        if (!normalized.StartsWith("SHOW ", StringComparison.OrdinalIgnoreCase))
            return null;
        Match match;
        if (ShowWarnings().IsMatch(normalized))
            return new AdminResult.Rows(["Level", "Code", "Message"],
                [.. context.LastWarnings.Select(w => new string?[] { w.Level, w.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), w.Message })]);
        if (ShowDatabases().IsMatch(normalized))
            return SqliteStatementRunner.Run(connection, "PRAGMA database_list");
        if ((match = ShowTables().Match(normalized)).Success)
            return ShowTablesIn(connection, Group(match, "schema") ?? (context.StatsOnly ? "stats" : "main"), Group(match, "like"));
        if ((match = ShowCreateTable().Match(normalized)).Success)
            return ShowCreate(connection, Group(match, "schema"), match.Groups["table"].Value);
        if ((match = ShowFields().Match(normalized)).Success)
            return ShowFieldsOf(connection, Group(match, "schema") ?? Group(match, "schema2"), match.Groups["table"].Value);
        if ((match = ShowVariables().Match(normalized)).Success)
            return ShowVariablesWhere(connection, Group(match, "like"), Group(match, "where"));
        return normalized.ToUpperInvariant() switch
        {
            "SHOW MYSQL SERVERS" => SqliteStatementRunner.Run(connection, "SELECT * FROM main.mysql_servers ORDER BY hostgroup_id, hostname, port"),
            "SHOW MYSQL USERS" => SqliteStatementRunner.Run(connection, "SELECT * FROM main.mysql_users ORDER BY username"),
            "SHOW MYSQL VARIABLES" => ShowVariablesWhere(connection, "mysql-%", null),
            "SHOW ADMIN VARIABLES" => ShowVariablesWhere(connection, "admin-%", null),
            _ => null,
        };
    }

    private static AdminResult ShowTablesIn(SqliteConnection connection, string schema, string? like)
    {
        if (!IsKnownSchema(schema))
            return AdminResult.Error.Admin($"unknown database {schema}");
        return SqliteStatementRunner.Run(connection,
            $"SELECT name AS tables FROM {schema}.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' " +
            "AND name LIKE @like ORDER BY name",
            ("@like", like ?? "%"));
    }

    /// <summary>Columns <c>table</c> and <c>Create Table</c>: the CREATE text as stored, one column per line.</summary>
    private static AdminResult ShowCreate(SqliteConnection connection, string? schema, string table)
    {
        if (schema is not null && !IsKnownSchema(schema))
            return AdminResult.Error.Admin($"unknown database {schema}");
        foreach (var candidate in schema is null ? SchemasSearchedForTables : [schema])
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT name, sql FROM {candidate}.sqlite_master WHERE type='table' AND name=@name COLLATE NOCASE";
            command.Parameters.AddWithValue("@name", table);
            using var reader = command.ExecuteReader();
            if (reader.Read())
                return new AdminResult.Rows(["table", "Create Table"], [[reader.GetString(0), reader.GetString(1)]]);
        }
        return AdminResult.Error.Admin($"Table '{table}' doesn't exist");
    }

    /// <summary>MySQL's column shape (Field, Type, Null, Key, Default, Extra) from SQLite's table_info.</summary>
    private static AdminResult ShowFieldsOf(SqliteConnection connection, string? schema, string table)
    {
        schema ??= "main";
        if (!IsKnownSchema(schema))
            return AdminResult.Error.Admin($"unknown database {schema}");
        var result = SqliteStatementRunner.Run(connection,
            "SELECT name AS Field, type AS Type, CASE WHEN \"notnull\" THEN 'NO' ELSE 'YES' END AS \"Null\", " +
            "CASE WHEN pk > 0 THEN 'PRI' ELSE '' END AS Key, dflt_value AS \"Default\", '' AS Extra " +
            $"FROM pragma_table_info(@table, '{schema}')",
            ("@table", table));
        return result is AdminResult.Rows { Values.Count: 0 } ? AdminResult.Error.Admin($"Table '{table}' doesn't exist") : result;
    }

    private static AdminResult ShowVariablesWhere(SqliteConnection connection, string? like, string? where)
    {
        const string Variables = "SELECT variable_name AS Variable_name, variable_value AS Value FROM main.global_variables";
        if (where is not null)
            return SqliteStatementRunner.Run(connection, $"SELECT * FROM ({Variables}) WHERE {where} ORDER BY Variable_name");
        return SqliteStatementRunner.Run(connection, $"{Variables} WHERE variable_name LIKE @like ORDER BY variable_name", ("@like", like ?? "%"));
    }

    /// <summary>Schema names are spliced into SQL, so only the five attached ones are allowed.</summary>
    private static bool IsKnownSchema(string schema) => SchemasSearchedForTables.Contains(schema, StringComparer.OrdinalIgnoreCase);

    private static string? Group(Match match, string name) => match.Groups[name].Success ? match.Groups[name].Value : null;

    [GeneratedRegex(@"^SHOW WARNINGS(?: LIMIT \d+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowWarnings();

    [GeneratedRegex(@"^SHOW (?:DATABASES|SCHEMAS)$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowDatabases();

    [GeneratedRegex(@"^SHOW (?:FULL )?TABLES(?: (?:FROM|IN) `?(?<schema>\w+)`?)?(?: LIKE '(?<like>[^']*)')?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowTables();

    [GeneratedRegex(@"^SHOW CREATE TABLE (?:`?(?<schema>\w+)`?\.)?`?(?<table>\w+)`?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowCreateTable();

    [GeneratedRegex(@"^SHOW (?:FULL )?(?:FIELDS|COLUMNS) (?:FROM|IN) (?:`?(?<schema>\w+)`?\.)?`?(?<table>\w+)`?(?: (?:FROM|IN) `?(?<schema2>\w+)`?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowFields();

    [GeneratedRegex(@"^SHOW (?:GLOBAL |SESSION |ALL )?VARIABLES(?: LIKE '(?<like>[^']*)'| WHERE (?<where>.+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowVariables();
}
