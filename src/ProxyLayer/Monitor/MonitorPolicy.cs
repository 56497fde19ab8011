using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>
/// Judges check results and changes the runtime server list accordingly (§6): replication-hostgroup moves on read_only,
/// SHUNNED on failed pings or lag and back ONLINE on recovery, writer fencing. Every change goes through
/// <see cref="RuntimeConfigManager.UpdateServers"/> and is logged in one line. Knows nothing about scheduling.
/// </summary>
internal sealed partial class MonitorPolicy
{
    private readonly RuntimeConfigManager _runtime;
    private readonly BackendServerRegistry _servers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<ServerAddress, ServerHealth> _health = [];

    public MonitorPolicy(RuntimeConfigManager runtime, BackendServerRegistry servers, TimeProvider time, ILogger<MonitorPolicy> logger)
    {
        _runtime = runtime;
        _servers = servers;
        _time = time;
        _logger = logger;
        Galera = new Galera.GaleraPolicy(runtime, time, logger);
    }

    public FencingLog Fencing { get; } = new();

    /// <summary>Placement of the nodes of <c>mysql_galera_hostgroups</c> clusters.</summary>
    public Galera.GaleraPolicy Galera { get; }

    public bool IsPingShunned(ServerAddress server)
    {
        lock (_gate)
            return _health.TryGetValue(server, out var health) && health.PingShunned;
    }

    /// <summary>Whether the latest ping or read_only check of <paramref name="server"/> failed.</summary>
    public bool LastCheckFailed(ServerAddress server, CheckKind kind)
    {
        lock (_gate)
        {
            return _health.TryGetValue(server, out var health) && kind switch
            {
                CheckKind.Ping => health.LastPingFailed,
                CheckKind.ReadOnly => health.LastReadOnlyFailed,
                _ => false,
            };
        }
    }

    /// <summary>Drops what is remembered about servers no longer configured.</summary>
    public void Forget(IEnumerable<ServerAddress> servers)
    {
        lock (_gate)
        {
            foreach (var server in servers)
                _health.Remove(server);
        }
        Galera.Forget(servers);
    }

    /// <summary>A connect check also tells the server's version, which the proxy's own greeting announces (see <see cref="Sessions.FrontendGreeting"/>).</summary>
    public void OnConnect(ServerAddress server, ProbeResult result)
    {
        if (result.Failure is not { Kind: ProbeFailureKind.AccessDenied })
            NoteSign(server, FailureSign.Connect, failed: result.Failure is not null);
        if (result.ServerVersion is { Length: > 0 } version)
            _servers.Get(server.Host, server.Port).OnVersionSeen(version);
    }

    public void OnPing(ServerAddress server, ProbeResult result, long latencyUs)
    {
        if (result.Failure is null)
            _servers.Get(server.Host, server.Port).RecordPingLatency(latencyUs);
        if (result.Failure is not { Kind: ProbeFailureKind.AccessDenied })
            NoteSign(server, FailureSign.Ping, failed: result.Failure is not null);
        lock (_gate)
        {
            var health = HealthOf(server);
            var settings = _runtime.Snapshot.Settings;
            // ProxySQL does not hold a rejected monitor user against the server.
            if (result.Failure is { Kind: ProbeFailureKind.AccessDenied })
                return;
            if (result.Failure is { } failure)
            {
                health.LastPingFailed = true;
                health.PingFailures++;
                health.LastPingFailureAt = _time.GetUtcNow();
                if (!health.PingShunned && health.PingFailures >= settings.MonitorPingMaxFailures)
                {
                    health.PingShunned = true;
                    ApplyShunState(server, health, $"{health.PingFailures} pings failed in a row (last: {failure.Message})", drain: true);
                }
                return;
            }
            health.LastPingFailed = false;
            health.PingFailures = 0;
            var recovery = TimeSpan.FromSeconds(settings.ShunRecoveryTimeSec);
            if (health.PingShunned && _time.GetUtcNow() - health.LastPingFailureAt >= recovery)
            {
                health.PingShunned = false;
                ApplyShunState(server, health, $"pings succeed again, {settings.ShunRecoveryTimeSec}s after the last failure", drain: false);
            }
            else if (health.HeldByMonitor || health.PingShunned)
            {
                ApplyShunState(server, health, "still shunned by the monitor", drain: false);
            }
        }
    }

    public void OnReadOnly(ServerAddress server, ReadOnlyResult result)
    {
        NoteSign(server, FailureSign.ReadOnly, failed: result.Failure is not null || result.ReadOnly);
        lock (_gate)
        {
            var health = HealthOf(server);
            var settings = _runtime.Snapshot.Settings;
            if (result.Failure is { } failure)
            {
                health.LastReadOnlyFailed = true;
                health.ReportsWritable = false;
                // Only an unbroken run of timeouts means "hung, treat as read_only=1"; a refused connect breaks the run.
                health.ReadOnlyTimeouts = failure.Kind == ProbeFailureKind.Timeout ? health.ReadOnlyTimeouts + 1 : 0;
                if (health.ReadOnlyTimeouts >= settings.MonitorReadOnlyMaxTimeoutCount)
                    ApplyReadOnly(server, health, readOnly: true, $"{health.ReadOnlyTimeouts} read_only checks timed out in a row (treated as read_only=1)", settings);
                return;
            }
            health.LastReadOnlyFailed = false;
            health.ReadOnlyTimeouts = 0;
            health.ReportsWritable = !result.ReadOnly;
            ApplyReadOnly(server, health, result.ReadOnly, result.ReadOnly ? "read_only=1" : "read_only=0", settings);
        }
    }

    public void OnReplicationLag(ServerAddress server, LagResult result)
    {
        // A failed lag check changes nothing (§6).
        if (!result.Succeeded)
            return;
        lock (_gate)
        {
            var health = HealthOf(server);
            var settings = _runtime.Snapshot.Settings;
            string why;
            if (!result.IsReplica)
            {
                health.LagStreaks.Clear();
                health.LagShunned.Clear();
                why = "is no longer a replica";
            }
            else
            {
                var lag = result.SecondsBehindMaster ?? settings.MonitorSlaveLagWhenNull;
                why = result.SecondsBehindMaster is null ? $"replication lag NULL (taken as {lag}s)" : $"replication lag {lag}s";
                foreach (var entry in _runtime.Snapshot.Config.Servers.Where(e => e.MaxReplicationLag > 0 && server.Matches(e)))
                {
                    if (lag > entry.MaxReplicationLag)
                    {
                        var streak = health.LagStreaks[entry.HostgroupId] = health.LagStreaks.GetValueOrDefault(entry.HostgroupId) + 1;
                        if (streak >= settings.MonitorReplicationLagCount)
                            health.LagShunned.Add(entry.HostgroupId);
                        why += $", over max_replication_lag {entry.MaxReplicationLag}s for {streak} check(s)";
                    }
                    else
                    {
                        health.LagStreaks.Remove(entry.HostgroupId);
                        health.LagShunned.Remove(entry.HostgroupId);
                    }
                }
            }
            ApplyShunState(server, health, why, drain: false);
        }
    }

    /// <summary>
    /// Noted before any move the result causes, so the writer-change tracker finds it when the writer leaves. A refused
    /// monitor user says nothing about the server (as for shunning).
    /// </summary>
    private void NoteSign(ServerAddress server, FailureSign kind, bool failed)
    {
        var signs = _servers.Get(server.Host, server.Port).FailureSigns;
        if (failed)
            signs.Note(kind, _time.GetUtcNow().ToUnixTimeMilliseconds());
        else
            signs.Clear(kind);
    }

    private ServerHealth HealthOf(ServerAddress server)
    {
        if (!_health.TryGetValue(server, out var health))
            _health[server] = health = new ServerHealth();
        return health;
    }

    private bool ReportsWritable(ServerAddress server) => _health.TryGetValue(server, out var health) && health.ReportsWritable;

    private void ApplyReadOnly(ServerAddress server, ServerHealth health, bool readOnly, string why, MySqlVariables settings)
    {
        var config = _runtime.Snapshot.Config;
        var liveWriterCheck = settings.MonitorWriterFencing ? ReportsWritable : (Func<ServerAddress, bool>?)null;
        if (readOnly)
            health.Fenced.Clear();
        var moves = new List<string>();
        var refusals = new List<WriterRefusal>();
        _runtime.UpdateServers(list => ReplicationHostgroupRules.Apply(list, config.ReplicationHostgroups, server, readOnly, why,
            settings.MonitorWriterIsAlsoReader, liveWriterCheck, moves, refusals));
        foreach (var move in moves)
            LogMove(server.ToString(), move);
        foreach (var refusal in refusals)
            RecordFencing(refusal.WriterHostgroup, refusal.Writer, server, "not added");

        if (!readOnly && liveWriterCheck is not null)
        {
            // Fenced here earlier (it came back while another server was the writer): stay fenced while that writer lives.
            var current = _runtime.Snapshot.Config.Servers;
            // Both ONLINE writers (loaded that way): which one is current is unknown, so only warn; the admin decides.
            foreach (var entry in current.Where(e => server.Matches(e) && e.Status == ServerStatus.Online
                && config.ReplicationHostgroups.Any(p => p.WriterHostgroup == e.HostgroupId)))
            {
                if (WriterLookup.LiveWriter(current, entry.HostgroupId, server, liveWriterCheck) is { } other)
                    RecordFencing(entry.HostgroupId, other, server, "both are ONLINE there as loaded, nothing changed");
            }
            foreach (var writerHostgroup in health.Fenced.ToList())
            {
                if (WriterLookup.LiveWriter(current, writerHostgroup, server, liveWriterCheck) is { } writer)
                    RecordFencing(writerHostgroup, writer, server, "kept SHUNNED");
                else
                    health.Fenced.Remove(writerHostgroup);
            }
        }
        ApplyShunState(server, health, why, drain: false);
    }

    private void ApplyShunState(ServerAddress server, ServerHealth health, string why, bool drain)
    {
        var snapshot = _runtime.Snapshot;
        var writerHostgroups = snapshot.Config.ReplicationHostgroups.Select(p => p.WriterHostgroup).ToHashSet();
        var liveWriterCheck = snapshot.Settings.MonitorWriterFencing ? ReportsWritable : (Func<ServerAddress, bool>?)null;
        var change = new ShunStateChange();
        _runtime.UpdateServers(list => ShunStateRules.Apply(list, server, health, writerHostgroups, liveWriterCheck, change));
        if (change.Shunned.Count > 0)
        {
            var closed = 0;
            if (drain)
            {
                foreach (var connection in _servers.Get(server.Host, server.Port).DrainAll())
                {
                    closed++;
                    _ = connection.DisposeAsync().AsTask();
                }
            }
            LogMove(server.ToString(), $"{why} → SHUNNED in hostgroup(s) {string.Join(", ", change.Shunned)}"
                + (drain ? $", {closed} pooled connection(s) closed" : ""));
        }
        if (change.Restored.Count > 0)
            LogMove(server.ToString(), $"{why} → ONLINE again in hostgroup(s) {string.Join(", ", change.Restored)}");
        foreach (var (writerHostgroup, writer) in change.HeldForFencing)
        {
            LogMove(server.ToString(), $"{why} → stays SHUNNED in writer hostgroup {writerHostgroup} until its read_only is known: {writer} is the live writer there");
        }
    }

    private void RecordFencing(int writerHostgroup, ServerAddress writer, ServerAddress refused, string outcome)
    {
        Fencing.Add(new FencingEvent(_time.GetUtcNow(), writerHostgroup, writer, refused));
        LogFencing(refused.ToString(), writerHostgroup, writer.ToString(), outcome, Fencing.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "monitor: {Server} {Change}")]
    private partial void LogMove(string server, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "monitor: FENCING: {Server} reports read_only=0 but {Writer} is the live writer of hostgroup {WriterHostgroup}: {Outcome} (fencing event #{Count}); two writers, check the orchestrator")]
    private partial void LogFencing(string server, int writerHostgroup, string writer, string outcome, long count);
}
