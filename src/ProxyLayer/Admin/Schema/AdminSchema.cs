using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Admin;

/// <summary>
/// The admin tables, read from the embedded <c>AdminSchema.sql</c> (ProxySQL 2.7.2's own DDL) and created in the
/// attached schemas. The CREATE text is kept verbatim so <c>SHOW CREATE TABLE</c> prints what ProxySQL prints.
/// </summary>
internal static partial class AdminSchema
{
    /// <summary>Stats tables whose <c>_reset</c> twin ProxySQL also offers (reading it zeroes the counters).</summary>
    private static readonly string[] StatsTablesWithReset =
        ["stats_mysql_connection_pool", "stats_mysql_query_digest", "stats_mysql_errors"];

    private static readonly Lazy<IReadOnlyList<TableDefinition>> Definitions = new(Parse);

    public static IReadOnlyList<TableDefinition> Tables => Definitions.Value;

    /// <summary>Config tables: every table of <c>main</c> but the checksum list, each with a disk copy and a runtime_ twin.</summary>
    public static IEnumerable<TableDefinition> ConfigTables =>
        Tables.Where(t => t.Schema == "main" && !t.Name.StartsWith("runtime_", StringComparison.Ordinal));

    /// <summary>Names of the tables the runtime fills on demand (stats and monitor schemas).</summary>
    public static FrozenSet<string> StatsAndMonitorTableNames { get; } = Tables
        .Where(t => t.Schema is "stats" or "monitor")
        .SelectMany(t => t.Schema == "stats" && StatsTablesWithReset.Contains(t.Name) ? [t.Name, t.Name + "_reset"] : new[] { t.Name })
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates every table that does not exist yet (an older proxysql.db keeps its rows).</summary>
    public static void CreateAll(SqliteConnection connection)
    {
        foreach (var table in Tables)
        {
            switch (table.Schema)
            {
                case "main" when table.Name.StartsWith("runtime_", StringComparison.Ordinal):
                    Create(connection, "main", table.Name, table);
                    break;
                case "main":
                    Create(connection, "main", table.Name, table);
                    Create(connection, "main", "runtime_" + table.Name, table);
                    Create(connection, "disk", table.Name, table);
                    if (table.Name == "global_variables")
                        Create(connection, "stats", table.Name, table);
                    break;
                case "stats":
                    Create(connection, "stats", table.Name, table);
                    if (StatsTablesWithReset.Contains(table.Name))
                        Create(connection, "stats", table.Name + "_reset", table);
                    break;
                default:
                    Create(connection, table.Schema, table.Name, table);
                    break;
            }
        }
    }

    private static void Create(SqliteConnection connection, string schema, string name, TableDefinition table)
    {
        // SQLite drops "IF NOT EXISTS" and the schema qualifier from the text it keeps in sqlite_master.
        var sql = string.Concat($"CREATE TABLE IF NOT EXISTS {schema}.{name}", table.CreateSql.AsSpan(table.NameEnd));
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<TableDefinition> Parse()
    {
        using var stream = typeof(AdminSchema).Assembly.GetManifestResourceStream("ProxyLayer.Admin.AdminSchema.sql")
            ?? throw new InvalidOperationException("The embedded admin schema is missing.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var tables = new List<TableDefinition>();
        foreach (Match match in StatementPattern().Matches(text))
        {
            var create = match.Groups["create"].Value.TrimEnd();
            var nameEnd = "CREATE TABLE ".Length + match.Groups["name"].Value.Length;
            tables.Add(new TableDefinition(match.Groups["schema"].Value, match.Groups["name"].Value, create, nameEnd));
        }
        return tables;
    }

    [GeneratedRegex(@"^-- (?<schema>\w+)\.(?<name>\w+)\n(?<create>CREATE TABLE \w+.*?)\n;", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex StatementPattern();
}

/// <summary>One CREATE TABLE of the admin schema; <see cref="NameEnd"/> is where the text after the table name starts.</summary>
internal sealed record TableDefinition(string Schema, string Name, string CreateSql, int NameEnd);
