using ProxyLayer.Routing;

namespace ProxyLayer.Cluster;

/// <summary>
/// Which result sets make up each module, in the order ProxySQL fetches them from a peer, and how they fold into the
/// module's checksum. The same code checksums our own runtime and a peer's fetched rows.
/// </summary>
internal static class ModuleTables
{
    public static IReadOnlyList<ClusterTable> Of(ClusterModule module, ClusterSources sources) => module switch
    {
        ClusterModule.AdminVariables => [ClusterTables.Variables(sources.Runtime.Variables, "admin-", sources.SyncInterfaces)],
        ClusterModule.MysqlVariables => [ClusterTables.Variables(sources.Runtime.Variables, "mysql-", sources.SyncInterfaces)],
        ClusterModule.MysqlQueryRules => [ClusterTables.QueryRules(sources.Runtime.QueryRules), ClusterTables.FastRouting(sources.Runtime.FastRouting)],
        ClusterModule.MysqlServers => [ClusterTables.Servers(sources.Runtime.Servers)],
        ClusterModule.MysqlServersV2 =>
        [
            ClusterTables.Servers(sources.LoadedServers), ClusterTables.ReplicationHostgroups(sources.Runtime.ReplicationHostgroups),
            .. sources.OtherServerTables,
        ],
        ClusterModule.MysqlUsers => [ClusterTables.Users(sources.Runtime.Users)],
        ClusterModule.ProxysqlServers => [ClusterTables.ProxysqlServers(sources.ProxysqlServers)],
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, null),
    };

    public static string Checksum(ClusterModule module, IReadOnlyList<ClusterTable> tables) => ChecksumText.Format(module switch
    {
        // rules + fast routing: the two raw checksums added (ProxySQL's load_mysql_query_rules_to_runtime)
        ClusterModule.MysqlQueryRules => unchecked(tables[0].RawChecksum + tables[1].RawChecksum),
        ClusterModule.MysqlUsers => UserAccountsChecksum.Raw(tables[0]),
        // every non-empty table's raw checksum, as 8 bytes, hashed again (ProxySQL's gen_global_mysql_servers_v2_checksum)
        ClusterModule.MysqlServersV2 => FoldNonZero(tables.Select(t => t.RawChecksum)),
        _ => tables[0].RawChecksum,
    });

    private static ulong FoldNonZero(IEnumerable<ulong> hashes)
    {
        var bytes = hashes.Where(h => h != 0).SelectMany(BitConverter.GetBytes).ToArray();
        if (bytes.Length == 0)
            return 0;
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("cluster checksums assume a little-endian host, as ProxySQL's do");
        ulong hash1 = 19, hash2 = 3;
        SpookyHash.Hash128(bytes, ref hash1, ref hash2);
        return hash1;
    }
}
