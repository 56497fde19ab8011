namespace ProxyLayer.Cluster;

/// <summary>
/// The modules a cluster keeps in step, in the order ProxySQL folds them into the global checksum; the names are
/// those of <c>runtime_checksums_values</c>.
/// </summary>
internal enum ClusterModule
{
    AdminVariables,
    MysqlQueryRules,
    MysqlServers,
    MysqlServersV2,
    MysqlUsers,
    MysqlVariables,
    ProxysqlServers,
}

internal static class ClusterModuleNames
{
    private static readonly string[] Names =
        ["admin_variables", "mysql_query_rules", "mysql_servers", "mysql_servers_v2", "mysql_users", "mysql_variables", "proxysql_servers"];

    public static IReadOnlyList<ClusterModule> All { get; } = Enum.GetValues<ClusterModule>();

    public static string Name(this ClusterModule module) => Names[(int)module];

    public static bool TryParse(string name, out ClusterModule module)
    {
        var index = Array.IndexOf(Names, name);
        module = (ClusterModule)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The <c>admin-cluster_&lt;x&gt;_diffs_before_sync</c> / <c>_save_to_disk</c> stem (servers v2 shares mysql_servers').</summary>
    public static string VariableStem(this ClusterModule module) => module == ClusterModule.MysqlServersV2 ? "mysql_servers" : module.Name();
}
