using System.Collections.Frozen;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>Which servers each check applies to in one configuration (§6 of the spec), built once per snapshot.</summary>
internal sealed class MonitorTargets
{
    private readonly FrozenDictionary<ServerAddress, string> _readOnlyCheckTypes;
    private readonly FrozenSet<ServerAddress> _lagTargets;
    private readonly FrozenSet<ServerAddress> _galeraTargets;

    private readonly bool _readsGtids;

    private MonitorTargets(FrozenSet<ServerAddress> monitored, FrozenDictionary<ServerAddress, string> readOnlyCheckTypes,
        FrozenSet<ServerAddress> lagTargets, FrozenSet<ServerAddress> galeraTargets, bool readsGtids)
    {
        _readsGtids = readsGtids;
        Monitored = monitored;
        _readOnlyCheckTypes = readOnlyCheckTypes;
        _lagTargets = lagTargets;
        _galeraTargets = galeraTargets;
    }

    /// <summary>Every host:port with an entry that is not OFFLINE_HARD: connect and ping targets.</summary>
    public FrozenSet<ServerAddress> Monitored { get; }

    /// <param name="readYourWritesInUse">GTID positions are read (from every monitored server) only while read-your-writes can apply.</param>
    public static MonitorTargets From(ProxyConfig config, bool readYourWritesInUse = false)
    {
        var monitored = config.Servers.Where(s => s.Status != ServerStatus.OfflineHard).Select(ServerAddress.Of).ToFrozenSet();
        var readOnly = new Dictionary<ServerAddress, string>();
        foreach (var pair in config.ReplicationHostgroups)
        {
            foreach (var server in config.Servers.Where(s => IsInPair(s, pair) && s.Status is ServerStatus.Online or ServerStatus.Shunned))
                readOnly.TryAdd(ServerAddress.Of(server), pair.CheckType);
        }
        var lag = config.Servers.Where(s => s.MaxReplicationLag > 0 && s.Status != ServerStatus.OfflineHard)
            .Select(ServerAddress.Of).ToFrozenSet();
        // As ProxySQL: every server in any of the four hostgroups of an active Galera cluster, whatever its status.
        var galera = config.Servers.Where(s => config.GaleraHostgroups.Any(c => c.Active && c.Contains(s.HostgroupId)))
            .Select(ServerAddress.Of).ToFrozenSet();
        return new MonitorTargets(monitored, readOnly.ToFrozenDictionary(), lag, galera, readYourWritesInUse);
    }

    /// <summary>The check_type of the first replication pair <paramref name="server"/> is in, or null if it is in none.</summary>
    public string? ReadOnlyCheckType(ServerAddress server) => _readOnlyCheckTypes.GetValueOrDefault(server);

    public bool IsLagTarget(ServerAddress server) => _lagTargets.Contains(server);

    public bool Applies(ServerAddress server, CheckKind kind) => kind switch
    {
        CheckKind.Connect or CheckKind.Ping => Monitored.Contains(server),
        CheckKind.GtidPosition => _readsGtids && Monitored.Contains(server),
        CheckKind.ReadOnly => _readOnlyCheckTypes.ContainsKey(server),
        CheckKind.ReplicationLag => _lagTargets.Contains(server),
        CheckKind.Galera => _galeraTargets.Contains(server),
        _ => false,
    };

    private static bool IsInPair(ServerConfig server, ReplicationHostgroupConfig pair) =>
        server.HostgroupId == pair.WriterHostgroup || server.HostgroupId == pair.ReaderHostgroup;
}
