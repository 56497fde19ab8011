using ProxyLayer.Config;

namespace ProxyLayer.Monitor;

/// <summary>The in-memory monitor logs, one per check kind, behind the admin <c>monitor</c> schema.</summary>
internal sealed class MonitorLogs(int maxRowsPerLog = MonitorLogs.DefaultMaxRowsPerLog)
{
    public const int DefaultMaxRowsPerLog = 10_000;

    private readonly MonitorLogBuffer[] _logs =
        [.. Enum.GetValues<CheckKind>().Select(_ => new MonitorLogBuffer(maxRowsPerLog))];

    public MonitorLogBuffer this[CheckKind kind] => _logs[(int)kind];

    /// <summary>Every check ever logged, counted (the logs themselves keep only <c>monitor_history</c>).</summary>
    public MonitorCheckCounters Counters { get; } = new();

    /// <summary><c>monitor.mysql_server_galera_log</c>: a row has all the wsrep values, so it has its own log.</summary>
    public Galera.GaleraLog Galera { get; } = new();

    public void AddGalera(Galera.GaleraLogEntry entry, MySqlVariables settings)
    {
        Counters.OnCheck(CheckKind.Galera, entry.Error is null, entry.SuccessTimeUs);
        Galera.Add(entry, entry.TimeStartUs - (long)settings.MonitorHistory * 1000);
    }

    public void Add(CheckKind kind, MonitorLogEntry entry, MySqlVariables settings)
    {
        Counters.OnCheck(kind, entry.Error is null, entry.SuccessTimeUs);
        this[kind].Add(entry, entry.TimeStartUs - RetentionUs(kind, settings));
    }

    /// <summary>
    /// <c>monitor_history</c>, raised for pings to cover <c>ping_interval × (max_failures + 1)</c> as ProxySQL does,
    /// so the failures that shunned a server are still visible.
    /// </summary>
    private static long RetentionUs(CheckKind kind, MySqlVariables settings)
    {
        long retentionMs = settings.MonitorHistory;
        if (kind == CheckKind.Ping)
            retentionMs = Math.Max(retentionMs, (long)settings.MonitorPingInterval * (settings.MonitorPingMaxFailures + 1));
        return retentionMs * 1000;
    }
}
