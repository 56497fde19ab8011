namespace ProxyLayer.Admin;

/// <summary>
/// What one <see cref="AdminModule"/> moves between layers (spec §2.2): whole tables, or the rows of
/// <c>global_variables</c> with one prefix.
/// </summary>
/// <param name="Tables">Tables moved replace-all between MEMORY and DISK.</param>
/// <param name="ShadowTables">
/// Tables with no record in <see cref="Config.ProxyConfig"/> yet: their RUNTIME layer is the <c>runtime_</c> twin,
/// filled on LOAD … TO RUNTIME and read back on SAVE … TO MEMORY.
/// </param>
internal sealed record ModuleDefinition(
    AdminModule Module,
    string Name,
    IReadOnlyList<string> Tables,
    IReadOnlyList<string> ShadowTables,
    string? VariablePrefix)
{
    private static readonly ModuleDefinition[] All =
    [
        new(AdminModule.MysqlServers, "MYSQL SERVERS",
            ["mysql_servers", "mysql_replication_hostgroups", "mysql_group_replication_hostgroups", "mysql_galera_hostgroups",
             "mysql_aws_aurora_hostgroups", "mysql_hostgroup_attributes", "mysql_servers_ssl_params"],
            ["mysql_group_replication_hostgroups", "mysql_galera_hostgroups", "mysql_aws_aurora_hostgroups",
             "mysql_hostgroup_attributes", "mysql_servers_ssl_params"],
            null),
        new(AdminModule.MysqlUsers, "MYSQL USERS", ["mysql_users"], [], null),
        new(AdminModule.MysqlQueryRules, "MYSQL QUERY RULES",
            ["mysql_query_rules", "mysql_query_rules_fast_routing"], [], null),
        new(AdminModule.MysqlVariables, "MYSQL VARIABLES", [], [], "mysql-"),
        new(AdminModule.AdminVariables, "ADMIN VARIABLES", [], [], "admin-"),
        new(AdminModule.Scheduler, "SCHEDULER", ["scheduler"], [], null),
        new(AdminModule.ProxysqlServers, "PROXYSQL SERVERS", ["proxysql_servers"], ["proxysql_servers"], null),
        new(AdminModule.Restapi, "RESTAPI", ["restapi_routes"], [], null),
    ];

    public static IReadOnlyList<ModuleDefinition> Every => All;

    public static ModuleDefinition Of(AdminModule module) => All[(int)module];
}
