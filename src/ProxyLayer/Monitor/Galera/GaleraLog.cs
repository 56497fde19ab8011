namespace ProxyLayer.Monitor.Galera;

/// <summary>One row of <c>monitor.mysql_server_galera_log</c>: a check's values, or its error with zero success time.</summary>
internal sealed record GaleraLogEntry(ServerAddress Server, long TimeStartUs, long SuccessTimeUs, GaleraNodeStatus? Status, string? Error);

/// <summary>The recent Galera checks, oldest first, bounded by <c>mysql-monitor_history</c> and a hard row cap.</summary>
internal sealed class GaleraLog(int maxRows = MonitorLogs.DefaultMaxRowsPerLog)
{
    private readonly Lock _gate = new();
    private readonly Queue<GaleraLogEntry> _entries = new();

    public void Add(GaleraLogEntry entry, long oldestKeptUs)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > maxRows || (_entries.Count > 0 && _entries.Peek().TimeStartUs < oldestKeptUs))
                _entries.Dequeue();
        }
    }

    public GaleraLogEntry[] ToArray()
    {
        lock (_gate)
            return [.. _entries];
    }
}
