using System.Collections.Concurrent;

namespace ProxyLayer.Backends;

/// <summary>
/// Which hostgroups have statements waiting for a usable server right now (e.g. the writer died and no replica has
/// been promoted yet). The monitor watches this to check read_only far more often while anyone waits.
/// </summary>
internal sealed class HostgroupDemand
{
    private readonly ConcurrentDictionary<int, int> _waiting = new();

    /// <summary>Raised when a hostgroup goes from no waiters to some.</summary>
    public event Action<int>? Starved;

    public bool IsStarved(int hostgroupId) => _waiting.TryGetValue(hostgroupId, out var count) && count > 0;

    public IReadOnlyCollection<int> StarvedHostgroups => [.. _waiting.Where(p => p.Value > 0).Select(p => p.Key)];

    /// <summary>Marks one waiter on <paramref name="hostgroupId"/>; dispose the result when it stops waiting.</summary>
    public Waiter BeginWaiting(int hostgroupId)
    {
        var count = _waiting.AddOrUpdate(hostgroupId, 1, static (_, n) => n + 1);
        if (count == 1)
            Starved?.Invoke(hostgroupId);
        return new Waiter(this, hostgroupId);
    }

    private void EndWaiting(int hostgroupId) => _waiting.AddOrUpdate(hostgroupId, 0, static (_, n) => Math.Max(0, n - 1));

    /// <summary>One statement waiting for a server in a hostgroup.</summary>
    public readonly struct Waiter(HostgroupDemand owner, int hostgroupId) : IDisposable
    {
        public void Dispose() => owner?.EndWaiting(hostgroupId);
    }
}
