using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>
/// How often each check runs for each server: the configured interval, shortened where waiting costs clients —
/// read_only every <see cref="UrgentInterval"/> while a writer hostgroup has statements waiting for a server, and a
/// quick second look when the check of a server serving a writer hostgroup just failed.
/// </summary>
internal sealed class CheckCadence
{
    /// <summary>Promoted replicas land in the writer hostgroup within about this long of their read_only=0.</summary>
    public static readonly TimeSpan UrgentInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// GTID positions are read every <c>mysql-monitor_gtid_interval</c> while reads need them (read-your-writes) and
    /// for <see cref="GtidBusyWindow"/> after the last one; otherwise only this often. Each read costs the proxy about
    /// half a millisecond of CPU on the loaded 2-core test machine (idle proxy, 3 servers, 100 ms: 14 ms of CPU a
    /// second, measured), which at sysbench oltp_read_write's rate was most of the feature's cost, for reads that
    /// never came (every read there is inside a transaction). A read that finds the positions stale waits on a
    /// replica or goes to the writer: slower, never wrong.
    /// </summary>
    public static readonly TimeSpan GtidIdleInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long after the last read that needed GTID positions they are still read at the configured interval.</summary>
    public static readonly TimeSpan GtidBusyWindow = TimeSpan.FromSeconds(10);

    /// <summary>While pings shun a server, look often enough that recovery is not delayed by a long ping interval.</summary>
    public static readonly TimeSpan ShunnedPingInterval = TimeSpan.FromSeconds(1);

    private readonly RuntimeConfigManager _runtime;
    private readonly HostgroupDemand _demand;
    private readonly MonitorPolicy _policy;
    private TargetsOfVersion? _targets;

    public CheckCadence(RuntimeConfigManager runtime, HostgroupDemand demand, MonitorPolicy policy)
    {
        _runtime = runtime;
        _demand = demand;
        _policy = policy;
    }

    /// <summary>The interval of <paramref name="kind"/> for <paramref name="server"/> now, or null if the check does not apply.</summary>
    public TimeSpan? IntervalOf(ServerAddress server, CheckKind kind)
    {
        var snapshot = _runtime.Snapshot;
        var settings = snapshot.Settings;
        if (!settings.MonitorEnabled || !TargetsOf(snapshot).Applies(server, kind))
            return null;
        var interval = TimeSpan.FromMilliseconds(kind switch
        {
            CheckKind.Connect => settings.MonitorConnectInterval,
            CheckKind.Ping => settings.MonitorPingInterval,
            CheckKind.ReadOnly => settings.MonitorReadOnlyInterval,
            CheckKind.Galera => settings.MonitorGaleraHealthcheckInterval,
            CheckKind.GtidPosition => settings.MonitorGtidInterval,
            _ => settings.MonitorReplicationLagInterval,
        });
        var urgent = kind switch
        {
            CheckKind.Ping when _policy.IsPingShunned(server) => ShunnedPingInterval,
            CheckKind.Ping when _policy.LastCheckFailed(server, kind) && ServesWriterHostgroup(snapshot, server) => UrgentInterval,
            CheckKind.ReadOnly when WriterHostgroupStarved(snapshot, server) => UrgentInterval,
            CheckKind.ReadOnly when _policy.LastCheckFailed(server, kind) && ServesWriterHostgroup(snapshot, server) => UrgentInterval,
            CheckKind.Galera when GaleraWriterHostgroupStarved(snapshot, server) => UrgentInterval,
            CheckKind.GtidPosition when !_demand.GtidPositionsNeededWithin(GtidBusyWindow) && GtidIdleInterval > interval => GtidIdleInterval,
            _ => interval,
        };
        if (kind == CheckKind.GtidPosition)
            return urgent;
        return urgent < interval ? urgent : interval;
    }

    public TimeSpan TimeoutOf(CheckKind kind)
    {
        var settings = _runtime.Snapshot.Settings;
        return TimeSpan.FromMilliseconds(kind switch
        {
            CheckKind.Connect => settings.MonitorConnectTimeout,
            CheckKind.Ping => settings.MonitorPingTimeout,
            CheckKind.ReadOnly => settings.MonitorReadOnlyTimeout,
            CheckKind.Galera => settings.MonitorGaleraHealthcheckTimeout,
            // As long as a ping may take: the query is as cheap (one variable read).
            CheckKind.GtidPosition => settings.MonitorPingTimeout,
            _ => settings.MonitorReplicationLagTimeout,
        });
    }

    public MonitorTargets CurrentTargets => TargetsOf(_runtime.Snapshot);

    private MonitorTargets TargetsOf(RuntimeSnapshot snapshot)
    {
        var cached = Volatile.Read(ref _targets);
        if (cached is not null && cached.Version == snapshot.Version)
            return cached.Targets;
        var targets = MonitorTargets.From(snapshot.Config, snapshot.ReadYourWritesInUse);
        Volatile.Write(ref _targets, new TargetsOfVersion(snapshot.Version, targets));
        return targets;
    }

    /// <summary>In a writer or reader hostgroup of a pair whose writer hostgroup has statements waiting.</summary>
    private bool WriterHostgroupStarved(RuntimeSnapshot snapshot, ServerAddress server) =>
        snapshot.Config.ReplicationHostgroups.Any(pair => _demand.IsStarved(pair.WriterHostgroup)
            && snapshot.Config.Servers.Any(s => server.Matches(s) && (s.HostgroupId == pair.WriterHostgroup || s.HostgroupId == pair.ReaderHostgroup)));

    /// <summary>In any hostgroup of a Galera cluster whose writer hostgroup has statements waiting.</summary>
    private bool GaleraWriterHostgroupStarved(RuntimeSnapshot snapshot, ServerAddress server) =>
        snapshot.Config.GaleraHostgroups.Any(c => c.Active && _demand.IsStarved(c.WriterHostgroup)
            && snapshot.Config.Servers.Any(s => server.Matches(s) && c.Contains(s.HostgroupId)));

    private static bool ServesWriterHostgroup(RuntimeSnapshot snapshot, ServerAddress server) =>
        snapshot.Config.ReplicationHostgroups.Any(pair => snapshot.Config.Servers.Any(s =>
            s.HostgroupId == pair.WriterHostgroup && s.Status == ServerStatus.Online && server.Matches(s)));

    private sealed record TargetsOfVersion(long Version, MonitorTargets Targets);
}
