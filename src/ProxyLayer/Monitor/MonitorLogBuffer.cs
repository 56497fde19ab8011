namespace ProxyLayer.Monitor;

/// <summary>
/// The recent results of one check kind, oldest first, bounded by age (<c>mysql-monitor_history</c>) and by a hard
/// row cap so a short interval on many servers cannot grow it without limit.
/// </summary>
internal sealed class MonitorLogBuffer(int maxRows)
{
    private readonly Lock _gate = new();
    private readonly Queue<MonitorLogEntry> _entries = new();

    public int MaxRows { get; } = maxRows;

    public void Add(MonitorLogEntry entry, long oldestKeptUs)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > MaxRows || (_entries.Count > 0 && _entries.Peek().TimeStartUs < oldestKeptUs))
                _entries.Dequeue();
        }
    }

    public MonitorLogEntry[] ToArray()
    {
        lock (_gate)
            return [.. _entries];
    }

    /// <summary>The newest entry for <paramref name="server"/>, if any is still kept.</summary>
    public MonitorLogEntry? Latest(ServerAddress server)
    {
        lock (_gate)
            return _entries.LastOrDefault(e => e.Server == server);
    }
}
