using Microsoft.Data.Sqlite;
using ProxyLayer.Admin;

namespace ProxyLayer.Cluster;

/// <summary>
/// Takes one module from a peer: fetches its result sets, checks they hash to the checksum the peer showed (a peer
/// that serves other rows than it advertises is refused), then replaces the module's MEMORY rows and loads it to
/// RUNTIME in one all-or-nothing step, validated like any LOAD; then saves it to DISK if asked.
/// </summary>
internal static class ModuleSync
{
    public static async Task<IReadOnlyList<ClusterTable>> FetchAsync(PeerConnection connection, ClusterModule module, bool syncInterfaces, TimeSpan timeout)
    {
        var tables = new List<ClusterTable>();
        foreach (var query in ClusterProtocol.FetchQueries(module, syncInterfaces))
            tables.Add(await connection.QueryAsync(query, timeout).ConfigureAwait(false));
        return tables;
    }

    /// <summary>Null when the rows hash to <paramref name="expected"/>; otherwise why they are refused.</summary>
    public static string? Verify(ClusterModule module, IReadOnlyList<ClusterTable> tables, string expected)
    {
        var computed = ModuleTables.Checksum(module, tables);
        return computed == expected ? null : $"the rows it served hash to {computed}, not to the checksum {expected} it shows";
    }

    public static AdminModule AdminModuleOf(ClusterModule module) => module switch
    {
        ClusterModule.MysqlQueryRules => AdminModule.MysqlQueryRules,
        ClusterModule.MysqlServersV2 => AdminModule.MysqlServers,
        ClusterModule.MysqlUsers => AdminModule.MysqlUsers,
        ClusterModule.MysqlVariables => AdminModule.MysqlVariables,
        ClusterModule.AdminVariables => AdminModule.AdminVariables,
        ClusterModule.ProxysqlServers => AdminModule.ProxysqlServers,
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, "this module is not taken from peers"),
    };

    /// <summary>Writes the fetched rows into MEMORY (inside the caller's transaction).</summary>
    public static void FillMemory(SqliteConnection connection, ClusterModule module, IReadOnlyList<ClusterTable> tables)
    {
        switch (module)
        {
            case ClusterModule.MysqlQueryRules:
                SqliteClusterTables.Replace(connection, "main.mysql_query_rules", WithActive(tables[0]));
                SqliteClusterTables.Replace(connection, "main.mysql_query_rules_fast_routing", tables[1]);
                break;
            case ClusterModule.MysqlServersV2:
                SqliteClusterTables.Replace(connection, "main.mysql_servers", tables[0]);
                SqliteClusterTables.Replace(connection, "main.mysql_replication_hostgroups", tables[1]);
                for (var i = 0; i < ClusterProtocol.OtherServerTables.Length; i++)
                    SqliteClusterTables.Replace(connection, "main." + ClusterProtocol.OtherServerTables[i].Table, tables[i + 2]);
                break;
            case ClusterModule.MysqlUsers:
                SqliteClusterTables.Replace(connection, "main.mysql_users", WithActive(tables[0]));
                break;
            case ClusterModule.ProxysqlServers:
                SqliteClusterTables.Replace(connection, "main.proxysql_servers", tables[0]);
                break;
            case ClusterModule.AdminVariables or ClusterModule.MysqlVariables:
                // Merged: the variables each node keeps for itself (mysql-threads, the interfaces unless
                // cluster_sync_interfaces, ProxyLayer's own) were not fetched and stay. A variable ProxyLayer does not
                // know (a ProxySQL peer of another build) is dropped, as ProxySQL drops unknown ones, instead of
                // failing the LOAD.
                SqliteClusterTables.Insert(connection, "main.global_variables", KnownVariables(tables[0]), orReplace: true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(module), module, "this module is not taken from peers");
        }
    }

    private static ClusterTable KnownVariables(ClusterTable table) =>
        table with
        {
            Rows = [.. table.Rows.Where(r => r.Count > 1 && r[0] is { } name && Config.VariableDefaults.IsKnown(name))
                .Select(r => (IReadOnlyList<string?>)[r[0], r[1] is { } value ? ClusterVariableText.FromProxySql(r[0]!, value) : null, .. r.Skip(2)])],
        };

    /// <summary>The runtime serves only active rows and no active column; MEMORY needs it back.</summary>
    private static ClusterTable WithActive(ClusterTable table) =>
        new([.. table.Columns, "active"], [.. table.Rows.Select(r => (IReadOnlyList<string?>)[.. r, "1"])]);
}
