using System.Collections.Immutable;

namespace ProxyLayer.Cluster;

/// <summary>One peer as its check loop last saw it: the rows of the <c>stats_proxysql_servers_*</c> tables.</summary>
internal sealed record PeerView(ProxysqlServerConfig Peer, ImmutableArray<PeerModuleView> Modules)
{
    public static PeerView Unseen(ProxysqlServerConfig peer) => new(peer, [.. ClusterModuleNames.All.Select(PeerModuleView.Unseen)]);

    public long GlobalChecksum { get; init; }
    public long ResponseTimeMs { get; init; }
    /// <summary>When the last check succeeded (Stopwatch timestamp; 0: never): the stats show the time since then.</summary>
    public long LastCheckTimestamp { get; init; }
    public long UptimeSeconds { get; init; }
    public long Queries { get; init; }
    public long ClientConnectionsConnected { get; init; }
    public long ClientConnectionsCreated { get; init; }

    /// <summary>Why the last check failed, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>This entry is this node itself (checked for the stats, never synced from).</summary>
    public bool IsSelf { get; init; }

    public PeerModuleView this[ClusterModule module] => Modules[(int)module];
}
