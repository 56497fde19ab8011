using System.Collections.Immutable;

namespace ProxyLayer.Cluster;

/// <summary>
/// This node's module checksums (<c>runtime_checksums_values</c>), replaced whole on every LOAD … TO RUNTIME: the
/// module's version goes up by one and its epoch becomes now, unless the load came from a peer whose checksum we
/// reproduced, in which case the peer's epoch is kept (so the cluster agrees on when the change was made, and the
/// newest epoch keeps winning).
/// </summary>
internal sealed class ClusterChecksums(TimeProvider time)
{
    private readonly Lock _gate = new();
    private ChecksumSnapshot _snapshot = ChecksumSnapshot.Empty;
    private ClusterSources? _sources;

    public ChecksumSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>
    /// What the checksums were last computed from (null before the first load), served to peers as it is: a monitor
    /// change after a load does not alter what peers fetch, so fetched rows always match the checksum shown.
    /// </summary>
    public ClusterSources? Sources => Volatile.Read(ref _sources);

    public ModuleChecksum Record(ClusterModule module, ClusterSources sources, PeerChecksum? origin)
    {
        var checksum = ModuleTables.Checksum(module, ModuleTables.Of(module, sources));
        lock (_gate)
        {
            var previous = _snapshot[module];
            var epoch = origin is not null && origin.Module == module && origin.Checksum == checksum
                ? origin.Epoch
                : time.GetUtcNow().ToUnixTimeSeconds();
            var next = new ModuleChecksum(module, previous.Version + 1, epoch, checksum);
            Volatile.Write(ref _snapshot, _snapshot.With(next));
            Volatile.Write(ref _sources, sources);
            return next;
        }
    }

    public static ImmutableArray<ClusterModule> ModulesOf(Admin.AdminModule module) => module switch
    {
        Admin.AdminModule.MysqlQueryRules => [ClusterModule.MysqlQueryRules],
        Admin.AdminModule.MysqlServers => [ClusterModule.MysqlServersV2, ClusterModule.MysqlServers],
        Admin.AdminModule.MysqlUsers => [ClusterModule.MysqlUsers],
        Admin.AdminModule.MysqlVariables => [ClusterModule.MysqlVariables],
        Admin.AdminModule.AdminVariables => [ClusterModule.AdminVariables],
        Admin.AdminModule.ProxysqlServers => [ClusterModule.ProxysqlServers],
        _ => [],
    };
}
