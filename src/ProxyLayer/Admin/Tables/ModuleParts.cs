using Microsoft.Data.Sqlite;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// Reads and writes one module's part of a <see cref="ProxyConfig"/> in a set of tables named by a prefix:
/// <c>main.</c> (MEMORY), <c>disk.</c> (DISK) or <c>main.runtime_</c> (the runtime mirrors).
/// </summary>
internal static class ModuleParts
{
    /// <summary>Returns <paramref name="target"/> with the module's part replaced by the rows under <paramref name="prefix"/>.</summary>
    /// <param name="activeRulesOnly">The runtime loads only <c>active=1</c> rules, in <c>rule_id</c> order.</param>
    public static ProxyConfig ReadInto(SqliteConnection connection, string prefix, ModuleDefinition module, ProxyConfig target, bool activeRulesOnly)
    {
        switch (module.Module)
        {
            case AdminModule.MysqlServers:
                return target with
                {
                    Servers = ConfigTableMaps.Servers.Read(connection, prefix + "mysql_servers", "ORDER BY hostgroup_id, hostname, port"),
                    ReplicationHostgroups = ConfigTableMaps.ReplicationHostgroups.Read(
                        connection, prefix + "mysql_replication_hostgroups", "ORDER BY writer_hostgroup"),
                    // Also a shadow table (its runtime_ twin is copied on LOAD, for the cluster checksums); read here for the monitor.
                    GaleraHostgroups = ConfigTableMaps.GaleraHostgroups.Read(
                        connection, prefix + "mysql_galera_hostgroups", "ORDER BY writer_hostgroup"),
                };
            case AdminModule.MysqlUsers:
                return target with { Users = ConfigTableMaps.Users.Read(connection, prefix + "mysql_users", "ORDER BY username, backend") };
            case AdminModule.MysqlQueryRules:
                return target with
                {
                    QueryRules = ConfigTableMaps.QueryRules.Read(
                        connection, prefix + "mysql_query_rules", (activeRulesOnly ? "WHERE active=1 " : "") + "ORDER BY rule_id"),
                    FastRouting = ConfigTableMaps.FastRouting.Read(
                        connection, prefix + "mysql_query_rules_fast_routing", "ORDER BY username, schemaname, flagIN"),
                };
            case AdminModule.MysqlVariables or AdminModule.AdminVariables:
                var modulePrefix = module.VariablePrefix!;
                var fromTables = VariableTable.Read(connection, prefix + "global_variables", modulePrefix);
                var others = target.Variables.Where(v => !v.Key.StartsWith(modulePrefix, StringComparison.OrdinalIgnoreCase));
                return target with { Variables = fromTables.AddRange(others) };
            case AdminModule.Scheduler:
                // Inactive rows too: ProxySQL's runtime keeps them (runtime_scheduler shows them) and runs only active ones.
                return target with { Scheduler = ConfigTableMaps.Scheduler.Read(connection, prefix + "scheduler", "ORDER BY id") };
            case AdminModule.Restapi:
                // Inactive rows too, as for the scheduler: runtime_restapi_routes shows them; only active ones are served.
                return target with { RestapiRoutes = ConfigTableMaps.RestapiRoutes.Read(connection, prefix + "restapi_routes", "ORDER BY id") };
            default:
                return target; // proxysql servers: no record in ProxyConfig yet
        }
    }

    /// <summary>
    /// Writes the module's part of <paramref name="source"/>. Without <paramref name="merge"/> the module's rows are
    /// deleted first (replace-all). Returns the number of rows written.
    /// </summary>
    public static int Write(SqliteConnection connection, string prefix, ModuleDefinition module, ProxyConfig source, bool merge)
    {
        if (module.VariablePrefix is { } variablePrefix)
        {
            var table = prefix + "global_variables";
            if (!merge)
                DeleteVariables(connection, table, variablePrefix);
            return VariableTable.Merge(
                connection, table, source.Variables.Where(v => v.Key.StartsWith(variablePrefix, StringComparison.OrdinalIgnoreCase)));
        }
        return module.Module switch
        {
            AdminModule.MysqlServers =>
                WriteTable(connection, prefix, ConfigTableMaps.Servers, source.Servers, merge) +
                WriteTable(connection, prefix, ConfigTableMaps.ReplicationHostgroups, source.ReplicationHostgroups, merge) +
                WriteTable(connection, prefix, ConfigTableMaps.GaleraHostgroups, source.GaleraHostgroups, merge),
            AdminModule.MysqlUsers => WriteTable(connection, prefix, ConfigTableMaps.Users, source.Users, merge),
            AdminModule.MysqlQueryRules =>
                WriteTable(connection, prefix, ConfigTableMaps.QueryRules, source.QueryRules, merge) +
                WriteTable(connection, prefix, ConfigTableMaps.FastRouting, source.FastRouting, merge),
            AdminModule.Scheduler => WriteTable(connection, prefix, ConfigTableMaps.Scheduler, source.Scheduler, merge),
            AdminModule.Restapi => WriteTable(connection, prefix, ConfigTableMaps.RestapiRoutes, source.RestapiRoutes, merge),
            _ => 0,
        };
    }

    private static int WriteTable<T>(SqliteConnection connection, string prefix, TableMap<T> map, IEnumerable<T> rows, bool merge)
    {
        var table = prefix + map.Table;
        if (!merge)
            AdminStore.Execute(connection, $"DELETE FROM {table}");
        return map.Write(connection, table, rows, orReplace: true);
    }

    private static void DeleteVariables(SqliteConnection connection, string table, string variablePrefix)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {table} WHERE variable_name LIKE @prefix || '%'";
        command.Parameters.AddWithValue("@prefix", variablePrefix);
        command.ExecuteNonQuery();
    }
}
