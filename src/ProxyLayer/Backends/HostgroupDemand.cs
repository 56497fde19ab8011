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
