using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Cluster;

/// <summary>A module's checksum and epoch as a peer showed them; a load that reproduces the checksum keeps the peer's epoch.</summary>
internal sealed record PeerChecksum(ClusterModule Module, string Checksum, long Epoch);

/// <summary>
/// What a load made by a cluster sync came from: the peer's checksums (one per module the load records) and, for
/// servers taken with their runtime state (sync algorithm 1), the servers as the peer loaded them, since the runtime
/// then runs the peer's runtime_mysql_servers instead.
/// </summary>
internal sealed record ClusterLoadOrigin(ImmutableArray<PeerChecksum> Peers, ImmutableArray<ServerConfig>? LoadedServers = null)
{
    public static ClusterLoadOrigin? Of(object? origin) => origin switch
    {
        ClusterLoadOrigin load => load,
        PeerChecksum peer => new ClusterLoadOrigin([peer]),
        _ => null,
    };

    public PeerChecksum? For(ClusterModule module) => Peers.FirstOrDefault(p => p.Module == module);
}
