using Microsoft.Data.Sqlite;
using ProxyLayer.Config;

namespace ProxyLayer.Admin;

/// <summary>
/// Fills the <c>runtime_*</c> tables from the live configuration, lazily: only those a statement mentions
/// (spec §1.3). Shadow tables (no record in <see cref="ProxyConfig"/> yet) are the runtime state themselves and are
/// written by LOAD … TO RUNTIME instead.
/// </summary>
internal static class RuntimeMirror
{
    private static readonly (string Table, ModuleDefinition Module)[] MirroredTables =
    [
        ("runtime_mysql_servers", ModuleDefinition.Of(AdminModule.MysqlServers)),
        ("runtime_mysql_replication_hostgroups", ModuleDefinition.Of(AdminModule.MysqlServers)),
        ("runtime_mysql_galera_hostgroups", ModuleDefinition.Of(AdminModule.MysqlServers)),
        ("runtime_mysql_users", ModuleDefinition.Of(AdminModule.MysqlUsers)),
        ("runtime_mysql_query_rules", ModuleDefinition.Of(AdminModule.MysqlQueryRules)),
        ("runtime_mysql_query_rules_fast_routing", ModuleDefinition.Of(AdminModule.MysqlQueryRules)),
        ("runtime_global_variables", ModuleDefinition.Of(AdminModule.MysqlVariables)),
        ("runtime_global_variables", ModuleDefinition.Of(AdminModule.AdminVariables)),
        ("runtime_scheduler", ModuleDefinition.Of(AdminModule.Scheduler)),
        ("runtime_restapi_routes", ModuleDefinition.Of(AdminModule.Restapi)),
    ];

    public static void RefreshMentioned(SqliteConnection connection, string sql, ProxyConfig current)
    {
        if (!sql.Contains("runtime_", StringComparison.OrdinalIgnoreCase))
            return;
        var live = current with { Users = RuntimeUsers.Split(current.Users) };
        var refreshed = new HashSet<AdminModule>();
        foreach (var (table, module) in MirroredTables)
        {
            if (sql.Contains(table, StringComparison.OrdinalIgnoreCase) && refreshed.Add(module.Module))
                ModuleParts.Write(connection, "main.runtime_", module, live, merge: false);
        }
    }
}
