namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>One Galera node's place in its cluster: its own group-communication and IST ports, everyone's addresses.</summary>
/// <param name="ClusterName">wsrep_cluster_name; unique per cluster so two test clusters never merge.</param>
/// <param name="GroupPort">gmcast.listen_addr: where the other nodes reach this one.</param>
/// <param name="IstPort">ist.recv_addr: where a donor streams missed write sets to this node.</param>
/// <param name="ClusterAddress">gcomm://… with every node's group port.</param>
/// <param name="Bootstrap">Start a new cluster (<c>--wsrep-new-cluster</c>): the first node only.</param>
/// <param name="JoinPosition">
/// The cluster's uuid:seqno written to grastate.dat before a joiner starts. Every node starts from the same datadir
/// template, so a joiner that claims the cluster's position needs no state snapshot transfer (rsync SST would copy the
/// whole datadir, and its rsync daemon cannot write as root); the few configuration changes in between come by IST.
/// </param>
public sealed record GaleraNodeOptions(
    string ClusterName, int GroupPort, int IstPort, string ClusterAddress, bool Bootstrap, GaleraPosition? JoinPosition);

/// <summary>A Galera state position: wsrep_local_state_uuid and wsrep_last_committed.</summary>
public sealed record GaleraPosition(string Uuid, long Seqno);
