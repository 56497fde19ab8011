using System.Collections.Immutable;
using ProxyLayer.Backends;
using ProxyLayer.Config;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>
/// One change of the ONLINE servers of a writer hostgroup (a failover, a switchover, a writer shunned).
/// <paramref name="DetectSeconds"/>: for the change that completed a failover, the time from the monitor's first sign
/// that the old writer was gone to this change; null for other changes.
/// </summary>
internal sealed record WriterChange(DateTimeOffset At, int WriterHostgroup, string From, string To, double? DetectSeconds = null);

/// <summary>
/// Watches every new runtime snapshot for changes of the ONLINE members of each <c>mysql_replication_hostgroups</c>
/// writer hostgroup, so the metrics can count failovers, say when the last one happened and how long it took to
/// detect. It runs on <see cref="RuntimeConfigManager.Changed"/>, i.e. at loads and monitor moves, never per statement,
/// so its own lock costs no statement anything.
/// </summary>
internal sealed class WriterChangeTracker
{
    private const int KeepRecent = 50;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ImmutableArray<BackendServer>> _writers = [];
    private readonly Dictionary<int, long> _changes = [];
    private readonly Dictionary<int, PendingFailover> _pending = [];
    private readonly Dictionary<int, DetectHistogram> _detect = [];
    private readonly Queue<WriterChange> _recent = new();

    /// <summary>A writer left with a failure sign standing; the failover completes when another server is the writer.</summary>
    private sealed record PendingFailover(long FirstSignMs, ImmutableHashSet<BackendServer> Departed);

    public WriterChangeTracker(RuntimeConfigManager runtime, TimeProvider time)
    {
        _time = time;
        Observe(runtime.Snapshot);
        runtime.Changed += Observe;
    }

    /// <summary>Changes counted per writer hostgroup since start.</summary>
    public IReadOnlyDictionary<int, long> Changes
    {
        get
        {
            lock (_gate)
                return _changes.ToImmutableDictionary();
        }
    }

    /// <summary>The last changes, oldest first.</summary>
    public IReadOnlyList<WriterChange> Recent
    {
        get
        {
            lock (_gate)
                return [.. _recent];
        }
    }

    /// <summary>Time-to-detect of the failovers seen per writer hostgroup (only hostgroups that had one).</summary>
    public IReadOnlyList<(int Hostgroup, DetectHistogram.Reading Reading)> DetectTimes
    {
        get
        {
            lock (_gate)
                return [.. _detect.OrderBy(d => d.Key).Select(d => (d.Key, d.Value.Read()))];
        }
    }

    private void Observe(RuntimeSnapshot snapshot)
    {
        lock (_gate)
        {
            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var pair in snapshot.Config.ReplicationHostgroups)
            {
                var members = snapshot.FindHostgroup(pair.WriterHostgroup)?.Members ?? [];
                var current = members.Where(m => m.Config.Status == ServerStatus.Online).Select(m => m.Server)
                    .OrderBy(s => s.ToString(), StringComparer.Ordinal).ToImmutableArray();
                if (!_writers.TryGetValue(pair.WriterHostgroup, out var previous))
                {
                    _writers[pair.WriterHostgroup] = current;
                    _changes.TryAdd(pair.WriterHostgroup, 0);
                    continue;
                }
                if (previous.SequenceEqual(current))
                    continue;
                _writers[pair.WriterHostgroup] = current;
                _changes[pair.WriterHostgroup] = _changes.GetValueOrDefault(pair.WriterHostgroup) + 1;
                var detect = TrackFailover(pair.WriterHostgroup, previous, current, nowMs);
                _recent.Enqueue(new WriterChange(_time.GetUtcNow(), pair.WriterHostgroup, Names(previous), Names(current), detect));
                while (_recent.Count > KeepRecent)
                    _recent.Dequeue();
            }
        }
    }

    /// <summary>
    /// A failover starts when a writer leaves while the monitor has a sign against it (failed connect or ping, read_only
    /// failed or 1), at that sign's time, and completes at the first change that leaves another server ONLINE as writer.
    /// A departed writer that comes back alone is a recovery, not a failover: nothing is timed. Returns the seconds it
    /// took, when this change completed one.
    /// </summary>
    private double? TrackFailover(int hostgroup, ImmutableArray<BackendServer> previous, ImmutableArray<BackendServer> current, long nowMs)
    {
        foreach (var departed in previous.Except(current))
        {
            if (departed.FailureSigns.EarliestMs is not { } signMs)
                continue;
            _pending[hostgroup] = _pending.TryGetValue(hostgroup, out var started)
                ? new PendingFailover(Math.Min(started.FirstSignMs, signMs), started.Departed.Add(departed))
                : new PendingFailover(signMs, [departed]);
        }
        if (!_pending.TryGetValue(hostgroup, out var pending) || current.IsEmpty)
            return null;
        _pending.Remove(hostgroup);
        if (current.All(pending.Departed.Contains))
            return null;
        var seconds = Math.Max(0, nowMs - pending.FirstSignMs) / 1000.0;
        if (!_detect.TryGetValue(hostgroup, out var histogram))
            _detect[hostgroup] = histogram = new DetectHistogram();
        histogram.Observe(seconds);
        return seconds;
    }

    private static string Names(ImmutableArray<BackendServer> servers) => string.Join(",", servers.Select(s => s.ToString()));
}
