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

    /// <param name="bumpVersion">False for the monitor's moves: ProxySQL then changes the checksum and epoch of
    /// mysql_servers but not its version, which only LOADs (and syncs) raise.</param>
    public ModuleChecksum Record(ClusterModule module, ClusterSources sources, PeerChecksum? origin, bool bumpVersion = true)
    {
        var checksum = ModuleTables.Checksum(module, ModuleTables.Of(module, sources));
        lock (_gate)
        {
            var next = Next(_snapshot[module], checksum, origin, bumpVersion);
            Volatile.Write(ref _snapshot, _snapshot.With(next));
            Volatile.Write(ref _sources, sources);
            if (module != ClusterModule.MysqlServers)
                TrackRuntimeServers(sources);
            return next;
        }
    }

    /// <summary>
    /// The runtime servers changed without a LOAD (the monitor moved or took one out, or a sync applied a peer's
    /// runtime_mysql_servers): what peers fetch as runtime_mysql_servers changes with the checksum they see.
    /// Returns the new mysql_servers checksum, or null when nothing was loaded yet or the servers as peers see them
    /// (SHUNNED as ONLINE, no OFFLINE_HARD) did not change.
    /// </summary>
    public ModuleChecksum? RuntimeServersChanged(ImmutableArray<Config.ServerConfig> servers)
    {
        lock (_gate)
        {
            if (_sources is not { } previous)
                return null;
            var sources = previous with { Runtime = previous.Runtime with { Servers = servers } };
            Volatile.Write(ref _sources, sources);
            return TrackRuntimeServers(sources);
        }
    }

    /// <summary>A peer's runtime_mysql_servers put in force: the version goes up by one, the peer's epoch is kept if we match.</summary>
    public ModuleChecksum RuntimeServersSynced(ImmutableArray<Config.ServerConfig> servers, PeerChecksum origin)
    {
        lock (_gate)
        {
            var previous = _sources!;
            var sources = previous with { Runtime = previous.Runtime with { Servers = servers } };
            var checksum = ModuleTables.Checksum(ClusterModule.MysqlServers, ModuleTables.Of(ClusterModule.MysqlServers, sources));
            var next = Next(_snapshot[ClusterModule.MysqlServers], checksum, origin, bumpVersion: true);
            Volatile.Write(ref _snapshot, _snapshot.With(next));
            Volatile.Write(ref _sources, sources);
            return next;
        }
    }

    /// <summary>Under the gate: records a changed runtime_mysql_servers checksum, epoch now, version unchanged.</summary>
    private ModuleChecksum? TrackRuntimeServers(ClusterSources sources)
    {
        var previous = _snapshot[ClusterModule.MysqlServers];
        if (previous.Version == 0)
            return null;
        var checksum = ModuleTables.Checksum(ClusterModule.MysqlServers, ModuleTables.Of(ClusterModule.MysqlServers, sources));
        if (checksum == previous.Checksum)
            return null;
        var next = Next(previous, checksum, origin: null, bumpVersion: false);
        Volatile.Write(ref _snapshot, _snapshot.With(next));
        return next;
    }

    private ModuleChecksum Next(ModuleChecksum previous, string checksum, PeerChecksum? origin, bool bumpVersion)
    {
        var epoch = origin is not null && origin.Module == previous.Module && origin.Checksum == checksum
            ? origin.Epoch
            : time.GetUtcNow().ToUnixTimeSeconds();
        return new ModuleChecksum(previous.Module, previous.Version + (bumpVersion ? 1 : 0), epoch, checksum);
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
