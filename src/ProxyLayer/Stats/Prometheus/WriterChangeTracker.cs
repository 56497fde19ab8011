using System.Collections.Immutable;
using ProxyLayer.Config;

namespace ProxyLayer.Stats.Prometheus;

/// <summary>One change of the ONLINE servers of a writer hostgroup (a failover, a switchover, a writer shunned).</summary>
internal sealed record WriterChange(DateTimeOffset At, int WriterHostgroup, string From, string To);

/// <summary>
/// Watches every new runtime snapshot for changes of the ONLINE members of each <c>mysql_replication_hostgroups</c>
/// writer hostgroup, so the metrics can count failovers and say when the last one happened. It runs on
/// <see cref="RuntimeConfigManager.Changed"/>, i.e. at loads and monitor moves, never per statement.
/// </summary>
internal sealed class WriterChangeTracker
{
    private const int KeepRecent = 50;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, string> _writers = [];
    private readonly Dictionary<int, long> _changes = [];
    private readonly Queue<WriterChange> _recent = new();

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

    private void Observe(RuntimeSnapshot snapshot)
    {
        lock (_gate)
        {
            foreach (var pair in snapshot.Config.ReplicationHostgroups)
            {
                var members = snapshot.FindHostgroup(pair.WriterHostgroup)?.Members ?? [];
                var online = members.Where(m => m.Config.Status == ServerStatus.Online)
                    .Select(m => m.Server.ToString()).Order(StringComparer.Ordinal);
                var current = string.Join(",", online);
                if (!_writers.TryGetValue(pair.WriterHostgroup, out var previous))
                {
                    _writers[pair.WriterHostgroup] = current;
                    _changes.TryAdd(pair.WriterHostgroup, 0);
                    continue;
                }
                if (previous == current)
                    continue;
                _writers[pair.WriterHostgroup] = current;
                _changes[pair.WriterHostgroup] = _changes.GetValueOrDefault(pair.WriterHostgroup) + 1;
                _recent.Enqueue(new WriterChange(_time.GetUtcNow(), pair.WriterHostgroup, previous, current));
                while (_recent.Count > KeepRecent)
                    _recent.Dequeue();
            }
        }
    }
}
