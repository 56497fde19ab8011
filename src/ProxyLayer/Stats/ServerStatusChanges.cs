using ProxyLayer.Config;

namespace ProxyLayer.Stats;

/// <summary>One hostgroup member's status change (shunned, back ONLINE, set OFFLINE by the monitor or an admin).</summary>
internal sealed record ServerStatusChange(DateTimeOffset At, int Hostgroup, string Endpoint, string From, string To);

/// <summary>
/// The last status changes of hostgroup members, for the dashboard's timeline. Like
/// <see cref="Prometheus.WriterChangeTracker"/> it runs on <see cref="RuntimeConfigManager.Changed"/> (loads and
/// monitor moves), never per statement. A member that joins or leaves a hostgroup is not a status change.
/// </summary>
internal sealed class ServerStatusChanges
{
    private const int KeepRecent = 100;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<(int Hostgroup, string Endpoint), ServerStatus> _statuses = [];
    private readonly Queue<ServerStatusChange> _recent = new();

    public ServerStatusChanges(RuntimeConfigManager runtime, TimeProvider time)
    {
        _time = time;
        Observe(runtime.Snapshot);
        runtime.Changed += Observe;
    }

    /// <summary>The last changes, oldest first.</summary>
    public IReadOnlyList<ServerStatusChange> Recent
    {
        get
        {
            lock (_gate)
                return [.. _recent];
        }
    }

    private void Observe(RuntimeSnapshot snapshot)
    {
        var now = new Dictionary<(int, string), ServerStatus>();
        foreach (var hostgroup in snapshot.Hostgroups.Values)
        {
            foreach (var member in hostgroup.Members)
                now[(hostgroup.Id, member.Server.ToString())] = member.Config.Status;
        }
        lock (_gate)
        {
            var at = _time.GetUtcNow();
            foreach (var (key, status) in now.OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2, StringComparer.Ordinal))
            {
                if (_statuses.TryGetValue(key, out var before) && before != status)
                {
                    _recent.Enqueue(new ServerStatusChange(at, key.Item1, key.Item2, ServerStatusText.ToText(before), ServerStatusText.ToText(status)));
                    while (_recent.Count > KeepRecent)
                        _recent.Dequeue();
                }
            }
            _statuses = now;
        }
    }
}
