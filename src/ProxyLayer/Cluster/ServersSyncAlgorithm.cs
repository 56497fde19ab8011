namespace ProxyLayer.Cluster;

/// <summary>
/// <c>admin-cluster_mysql_servers_sync_algorithm</c>, as ProxySQL 2.7 follows it (ProxySQL_Cluster.cpp,
/// ProxySQL_Node_Entry::set_checksums): whatever the algorithm, servers are taken as <c>mysql_servers_v2</c> (the
/// servers as loaded, with the other server tables) when that checksum differs.
/// </summary>
internal enum ServersSyncAlgorithm
{
    /// <summary>
    /// 1: also the peer's <c>runtime_mysql_servers</c> (its monitor's moves): fetched with mysql_servers_v2 and put in
    /// force in the same step, or on its own when only the runtime checksum differs.
    /// </summary>
    RuntimeAndV2 = 1,

    /// <summary>2: mysql_servers_v2 only; each node's monitor makes its own runtime moves.</summary>
    V2Only = 2,

    /// <summary>3: 1 when this node runs without its monitor (<c>--no-monitor</c>), else 2.</summary>
    Auto = 3,
}

internal static class ServersSyncAlgorithms
{
    /// <summary>ProxySQL's default (1), also for a value out of 1..3, which ProxySQL's admin refuses.</summary>
    public static ServersSyncAlgorithm Parse(int value) =>
        value is >= 1 and <= 3 ? (ServersSyncAlgorithm)value : ServersSyncAlgorithm.RuntimeAndV2;

    /// <summary>Whether runtime_mysql_servers is taken from peers: algorithm 1, or 3 on a node without its monitor.</summary>
    public static bool TakesRuntimeServers(this ServersSyncAlgorithm algorithm, bool monitorRunning) => algorithm switch
    {
        ServersSyncAlgorithm.RuntimeAndV2 => true,
        ServersSyncAlgorithm.Auto => !monitorRunning,
        _ => false,
    };
}
