using System.Net;

namespace ProxyLayer.Networking;

/// <summary>
/// ProxySQL's client host cache (<c>mysql-client_host_cache_size</c>, <c>mysql-client_host_error_counts</c>): failed
/// logins (an error answer, or the login timeout) are counted per client address; an address whose count has reached
/// the limit is closed at connect, with no answer. A successful login forgets the address. Size 0 turns it all off.
/// As in ProxySQL, 127.0.0.1 is never counted, entries do not expire by time (a full cache replaces its least
/// recently failed address), and lowering the size stops new entries until the cache has shrunk below it.
/// </summary>
internal sealed class ClientHostErrorCache(Func<(int Size, int ErrorCounts)> settings, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Entry> _entries = [];

    private sealed class Entry
    {
        public int Errors;
        public long UpdatedAt;
        /// <summary>Wall-clock time of the last failure, microseconds since the Unix epoch (for the stats table).</summary>
        public long UpdatedAtUnixUs;
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>The limit an address reached, if it is to be refused; null if it may try.</summary>
    public int? Blocks(IPAddress address)
    {
        var (size, limit) = settings();
        if (size == 0 || IsExempt(address))
            return null;
        lock (_gate)
            return _entries.TryGetValue(Normalize(address), out var entry) && entry.Errors >= limit ? limit : null;
    }

    public void RecordFailure(IPAddress address)
    {
        var (size, _) = settings();
        if (size == 0 || IsExempt(address))
            return;
        address = Normalize(address);
        lock (_gate)
        {
            if (_entries.Count >= size)
                EvictOldestExcept(address);
            var nowUs = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
            if (_entries.TryGetValue(address, out var entry))
            {
                entry.Errors++;
                entry.UpdatedAt = time.GetTimestamp();
                entry.UpdatedAtUnixUs = nowUs;
            }
            else if (_entries.Count < size)
            {
                _entries.Add(address, new Entry { Errors = 1, UpdatedAt = time.GetTimestamp(), UpdatedAtUnixUs = nowUs });
            }
        }
    }

    public void RecordSuccess(IPAddress address)
    {
        if (settings().Size == 0)
            return;
        lock (_gate)
            _entries.Remove(Normalize(address));
    }

    /// <summary>The addresses counted now, for <c>stats_mysql_client_host_cache</c>.</summary>
    public IReadOnlyList<(string Address, int Errors, long LastUpdatedUnixUs)> Snapshot()
    {
        lock (_gate)
            return [.. _entries.Select(e => (e.Key.ToString(), e.Value.Errors, e.Value.UpdatedAtUnixUs))];
    }

    /// <summary><c>PROXYSQL FLUSH MYSQL CLIENT HOSTS</c>.</summary>
    public void Clear()
    {
        lock (_gate)
            _entries.Clear();
    }

    private void EvictOldestExcept(IPAddress keep)
    {
        IPAddress? oldest = null;
        long oldestAt = long.MaxValue;
        foreach (var (address, entry) in _entries)
        {
            if (entry.UpdatedAt < oldestAt)
                (oldest, oldestAt) = (address, entry.UpdatedAt);
        }
        if (oldest is not null && !oldest.Equals(keep))
            _entries.Remove(oldest);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsExempt(IPAddress address) => Normalize(address).Equals(IPAddress.Loopback);
}
