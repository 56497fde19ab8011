namespace ProxyLayer.Monitor;

/// <summary>
/// Checks run per kind, split into succeeded and failed, with their total time: ProxySQL's
/// <c>MySQL_Monitor_*_check_OK/ERR</c>, and the monitor check latency ProxyLayer adds to the metrics. Written once
/// per check (a few per second), read at scrape time.
/// </summary>
internal sealed class MonitorCheckCounters
{
    /// <summary>Each kind as ProxySQL's variable and metric names spell it.</summary>
    public static IReadOnlyList<(CheckKind Kind, string Name)> ProxySqlNames { get; } =
        [(CheckKind.Connect, "connect"), (CheckKind.Ping, "ping"), (CheckKind.ReadOnly, "read_only"), (CheckKind.ReplicationLag, "replication_lag")];

    private readonly long[] _ok = new long[Enum.GetValues<CheckKind>().Length];
    private readonly long[] _failed = new long[Enum.GetValues<CheckKind>().Length];
    private readonly long[] _okMicroseconds = new long[Enum.GetValues<CheckKind>().Length];

    public void OnCheck(CheckKind kind, bool succeeded, long elapsedMicroseconds)
    {
        if (succeeded)
        {
            Interlocked.Increment(ref _ok[(int)kind]);
            Interlocked.Add(ref _okMicroseconds[(int)kind], elapsedMicroseconds);
        }
        else
        {
            Interlocked.Increment(ref _failed[(int)kind]);
        }
    }

    public long Succeeded(CheckKind kind) => Interlocked.Read(ref _ok[(int)kind]);
    public long Failed(CheckKind kind) => Interlocked.Read(ref _failed[(int)kind]);
    /// <summary>Total time of the successful checks of <paramref name="kind"/>.</summary>
    public long SucceededMicroseconds(CheckKind kind) => Interlocked.Read(ref _okMicroseconds[(int)kind]);

    /// <summary>ProxySQL's rows of <c>stats_mysql_global</c>.</summary>
    public IEnumerable<(string Name, long Value)> GlobalRows()
    {
        foreach (var (kind, name) in ProxySqlNames)
        {
            yield return ($"MySQL_Monitor_{name}_check_OK", Succeeded(kind));
            yield return ($"MySQL_Monitor_{name}_check_ERR", Failed(kind));
        }
    }
}
