namespace ProxyLayer.Backends;

/// <summary>The kinds of monitor result that say a server may be gone as a writer.</summary>
internal enum FailureSign
{
    /// <summary>A monitor connect check failed.</summary>
    Connect,
    /// <summary>A monitor ping failed.</summary>
    Ping,
    /// <summary>A read_only check failed, or said read_only=1.</summary>
    ReadOnly,
}

/// <summary>
/// When the monitor first saw each kind of trouble with one server since that kind last came back good (Unix ms,
/// 0 = none). The writer-change tracker reads it when a writer leaves, to time how long the failover took to detect.
/// Written by the monitor's check results only, never per statement.
/// </summary>
internal sealed class FailureSigns
{
    private readonly long[] _firstSeenMs = new long[Enum.GetValues<FailureSign>().Length];

    /// <summary>Remembers <paramref name="atMs"/> unless an earlier sign of this kind is still unanswered.</summary>
    public void Note(FailureSign kind, long atMs) => Interlocked.CompareExchange(ref _firstSeenMs[(int)kind], atMs, 0);

    /// <summary>A good result of this kind: its earlier signs no longer count.</summary>
    public void Clear(FailureSign kind) => Interlocked.Exchange(ref _firstSeenMs[(int)kind], 0);

    /// <summary>The earliest sign still standing (Unix ms), or null if the server looks fine.</summary>
    public long? EarliestMs
    {
        get
        {
            long earliest = 0;
            for (var i = 0; i < _firstSeenMs.Length; i++)
            {
                var at = Volatile.Read(ref _firstSeenMs[i]);
                if (at != 0 && (earliest == 0 || at < earliest))
                    earliest = at;
            }
            return earliest == 0 ? null : earliest;
        }
    }
}
