namespace ProxyLayer.Cluster;

/// <summary>A module's checksum and epoch as a peer showed them; a load that reproduces the checksum keeps the peer's epoch.</summary>
internal sealed record PeerChecksum(ClusterModule Module, string Checksum, long Epoch);
