using System.Collections.Concurrent;
using System.Globalization;

namespace ProxyLayer.Gtid;

/// <summary>How a read that had to see its session's writes was served.</summary>
internal enum ReadYourWritesOutcome
{
    /// <summary>Sent to a server of the read's hostgroup already known to have the writes.</summary>
    CaughtUp,
    /// <summary>Sent to a server of the read's hostgroup after MASTER_GTID_WAIT said it had them.</summary>
    Waited,
    /// <summary>Sent to the hostgroup the session wrote to (no server had them in time, or fallback=writer).</summary>
    Writer,
}

/// <summary>
/// Counters per reader hostgroup for <c>stats_mysql_global</c> and the metrics. Incremented once per read that needed
/// the guarantee (a dictionary lookup and an interlocked add; a hostgroup's entry is made once).
/// </summary>
internal sealed class ReadYourWritesCounters
{
    private readonly ConcurrentDictionary<int, long[]> _byHostgroup = new();
    private long _gtidsCollected;

    /// <summary>Commits whose GTID a session took from an OK packet (ProxySQL's <c>GTID_session_collected</c>).</summary>
    public long GtidsCollected => Interlocked.Read(ref _gtidsCollected);

    public void OnGtidCollected() => Interlocked.Increment(ref _gtidsCollected);

    public void Count(int hostgroup, ReadYourWritesOutcome outcome)
    {
        if (!_byHostgroup.TryGetValue(hostgroup, out var counts))
            counts = _byHostgroup.GetOrAdd(hostgroup, static _ => new long[3]);
        Interlocked.Increment(ref counts[(int)outcome]);
    }

    public long Get(int hostgroup, ReadYourWritesOutcome outcome) =>
        _byHostgroup.TryGetValue(hostgroup, out var counts) ? Interlocked.Read(ref counts[(int)outcome]) : 0;

    public IReadOnlyList<(int Hostgroup, long CaughtUp, long Waited, long Writer)> Snapshot() =>
        [.. _byHostgroup.OrderBy(p => p.Key).Select(p => (p.Key, Interlocked.Read(ref p.Value[0]), Interlocked.Read(ref p.Value[1]), Interlocked.Read(ref p.Value[2])))];

    /// <summary>Every read that needed the guarantee (ProxySQL's <c>GTID_consistent_queries</c>).</summary>
    public long ConsistentReads => Snapshot().Sum(r => r.CaughtUp + r.Waited + r.Writer);

    /// <summary>Rows of <c>stats_mysql_global</c>: ProxySQL's two GTID totals, then ProxyLayer's per-hostgroup split.</summary>
    public IEnumerable<(string Name, long Value)> GlobalRows()
    {
        yield return ("GTID_consistent_queries", ConsistentReads);
        yield return ("GTID_session_collected", GtidsCollected);
        foreach (var (hostgroup, caughtUp, waited, writer) in Snapshot())
        {
            var suffix = hostgroup.ToString(CultureInfo.InvariantCulture);
            yield return ("Read_your_writes_caught_up_hg" + suffix, caughtUp);
            yield return ("Read_your_writes_waited_hg" + suffix, waited);
            yield return ("Read_your_writes_writer_hg" + suffix, writer);
        }
    }
}
