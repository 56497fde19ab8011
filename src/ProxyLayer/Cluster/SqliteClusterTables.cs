using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProxyLayer.Cluster;

/// <summary>Reads and writes admin tables that have no record in the runtime model, as <see cref="ClusterTable"/>s of text.</summary>
internal static class SqliteClusterTables
{
    public static ClusterTable Read(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<IReadOnlyList<string?>>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return new ClusterTable(columns, rows);
    }

    /// <summary>The runtime twins of mysql_servers_v2's other tables, every column, as ProxySQL's hostgroup manager checksums them.</summary>
    public static ImmutableArray<ClusterTable> OtherServerTables(SqliteConnection connection) =>
        [.. ClusterProtocol.OtherServerTables.Select(t => Read(connection, $"SELECT * FROM main.runtime_{t.Table} ORDER BY {t.OrderBy}"))];

    public static ImmutableArray<ProxysqlServerConfig> ProxysqlServers(SqliteConnection connection, string table = "main.runtime_proxysql_servers") =>
        [.. Read(connection, $"SELECT hostname, port, weight, comment FROM {table} ORDER BY hostname, port").Rows
            .Select(r => new ProxysqlServerConfig(r[0] ?? "", Int(r[1]), Int(r[2]), r[3] ?? ""))];

    /// <summary>Replaces the rows of <paramref name="qualifiedTable"/> with <paramref name="table"/>'s, column by column name.</summary>
    public static void Replace(SqliteConnection connection, string qualifiedTable, ClusterTable table)
    {
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = $"DELETE FROM {qualifiedTable}";
            delete.ExecuteNonQuery();
        }
        Insert(connection, qualifiedTable, table, orReplace: false);
    }

    public static void Insert(SqliteConnection connection, string qualifiedTable, ClusterTable table, bool orReplace)
    {
        if (table.Rows.Count == 0)
            return;
        using var command = connection.CreateCommand();
        var parameters = table.Columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        command.CommandText = $"INSERT {(orReplace ? "OR REPLACE " : "")}INTO {qualifiedTable} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", parameters)})";
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < parameters.Length; i++)
                command.Parameters[i].Value = (object?)row[i] ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    private static int Int(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
