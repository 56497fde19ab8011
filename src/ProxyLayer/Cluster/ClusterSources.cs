using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>
/// Everything the module checksums are computed from: the running configuration, the servers as last loaded
/// (before the monitor moved or shunned any: ProxySQL's <c>mysql_servers_v2</c>), the server tables that have no
/// record in <see cref="ProxyConfig"/> yet, and the peers.
/// </summary>
internal sealed record ClusterSources
{
    public required ProxyConfig Runtime { get; init; }
    public required ImmutableArray<ServerConfig> LoadedServers { get; init; }
    public required ImmutableArray<ProxysqlServerConfig> ProxysqlServers { get; init; }

    /// <summary>mysql_group_replication_hostgroups, _galera_, _aws_aurora_, mysql_hostgroup_attributes, mysql_servers_ssl_params.</summary>
    public ImmutableArray<ClusterTable> OtherServerTables { get; init; } = [];

    public bool SyncInterfaces { get; init; }
}
