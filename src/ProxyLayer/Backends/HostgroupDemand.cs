using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProxyLayer.Backends;

/// <summary>
/// Which hostgroups have statements waiting for a usable server right now (e.g. the writer died and no replica has
/// been promoted yet). The monitor watches this to check read_only far more often while anyone waits. It also counts,
/// per hostgroup, the statements that were held so and for how long (<c>proxylayer_statements_held_*</c>, the
/// dashboard): only a statement that has to wait comes here, so a healthy hostgroup's statements never do.
/// </summary>
internal sealed class HostgroupDemand
{
    private readonly ConcurrentDictionary<int, int> _waiting = new();
    private readonly ConcurrentDictionary<int, HeldCounters> _held = new();

    /// <summary>Raised when a hostgroup goes from no waiters to some.</summary>
    public event Action<int>? Starved;

    public bool IsStarved(int hostgroupId) => _waiting.TryGetValue(hostgroupId, out var count) && count > 0;

    public IReadOnlyCollection<int> StarvedHostgroups => [.. _waiting.Where(p => p.Value > 0).Select(p => p.Key)];

    /// <summary>Per hostgroup that ever held a statement: how many were held, their total wait, how many wait now.</summary>
    public IReadOnlyList<HeldStatements> Held =>
        [.. _held.OrderBy(p => p.Key).Select(p => new HeldStatements(p.Key, Interlocked.Read(ref p.Value.Count),
            Interlocked.Read(ref p.Value.WaitMicroseconds), _waiting.GetValueOrDefault(p.Key)))];

    /// <summary>Marks one waiter on <paramref name="hostgroupId"/>; dispose the result when it stops waiting.</summary>
    public Waiter BeginWaiting(int hostgroupId)
    {
        var count = _waiting.AddOrUpdate(hostgroupId, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _held.GetOrAdd(hostgroupId, static _ => new HeldCounters()).Count);
        if (count == 1)
            Starved?.Invoke(hostgroupId);
        return new Waiter(this, hostgroupId, Stopwatch.GetTimestamp());
    }

    private void EndWaiting(int hostgroupId, long startedTimestamp)
    {
        _waiting.AddOrUpdate(hostgroupId, 0, static (_, n) => Math.Max(0, n - 1));
        if (_held.TryGetValue(hostgroupId, out var held))
            Interlocked.Add(ref held.WaitMicroseconds, (long)Stopwatch.GetElapsedTime(startedTimestamp).TotalMicroseconds);
    }

    /// <summary>When a read last needed to know which servers have which GTIDs (read-your-writes), Environment.TickCount64.</summary>
    private long _gtidPositionsNeededAt = long.MinValue / 2;

    /// <summary>
    /// A read had to see writes (its session's or a <c>min_gtid</c>): the monitor reads GTID positions at
    /// <c>mysql-monitor_gtid_interval</c> while this happens, and far less often otherwise. Written at most every
    /// 100 ms, so the reads of many sessions do not all write the same cache line.
    /// </summary>
    public void OnGtidPositionsNeeded()
    {
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref _gtidPositionsNeededAt) >= 100)
            Volatile.Write(ref _gtidPositionsNeededAt, now);
    }

    /// <summary>True if a read needed GTID positions within the last <paramref name="window"/>.</summary>
    public bool GtidPositionsNeededWithin(TimeSpan window) =>
        Environment.TickCount64 - Volatile.Read(ref _gtidPositionsNeededAt) <= (long)window.TotalMilliseconds;

    /// <summary>One statement waiting for a server in a hostgroup.</summary>
    public readonly struct Waiter(HostgroupDemand owner, int hostgroupId, long startedTimestamp) : IDisposable
    {
        public void Dispose() => owner?.EndWaiting(hostgroupId, startedTimestamp);
    }

    private sealed class HeldCounters
    {
        public long Count;
        public long WaitMicroseconds;
    }
}

/// <summary>Statements a hostgroup held until it had a usable server: held since start, their total wait (µs, ended waits only), waiting now.</summary>
internal readonly record struct HeldStatements(int Hostgroup, long Count, long WaitMicroseconds, int WaitingNow);
