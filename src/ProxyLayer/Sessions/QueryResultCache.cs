using System.Collections.Concurrent;
using ProxyLayer.Config;
using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions;

/// <summary>
/// ProxySQL's query cache: result sets of statements whose rule (or annotation) sets <c>cache_ttl</c> (ms), kept as
/// the exact bytes the client received and replayed to later clients with the same user, schema, protocol flags and
/// query text. Bounded by <c>mysql-query_cache_size_MB</c>: expired entries are dropped when room is needed, and a
/// result that does not fit is simply not cached. With <c>mysql-query_cache_soft_ttl_pct</c>, the first client to
/// ask after that share of the ttl is sent to the backend to refresh the entry while the others still get it.
/// </summary>
internal sealed class QueryResultCache
{
    /// <summary>The largest single result kept (ProxySQL caches whole results; big ones would crowd out the rest).</summary>
    public const int MaxEntryBytes = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<QueryCacheKey, QueryCacheEntry> _entries = new();
    private readonly RuntimeConfigManager _runtime;
    private readonly TimeProvider _time;
    private long _bytes;
    private long _gets;
    private long _hits;
    private long _sets;
    private long _bytesIn;
    private long _bytesOut;
    private long _purged;

    public QueryResultCache(RuntimeConfigManager runtime, TimeProvider? time = null)
    {
        _runtime = runtime;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Lookups answered from the cache (Query_Cache_count_GET_OK).</summary>
    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Every lookup (Query_Cache_count_GET).</summary>
    public long Gets => Interlocked.Read(ref _gets);
    public long Misses => Gets - Hits;
    /// <summary>Results stored (Query_Cache_count_SET).</summary>
    public long Sets => Interlocked.Read(ref _sets);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);
    /// <summary>Entries dropped because they expired, were replaced or flushed (Query_Cache_Purged).</summary>
    public long Purged => Interlocked.Read(ref _purged);
    public long Bytes => Interlocked.Read(ref _bytes);
    public int Count => _entries.Count;

    /// <summary>The <c>Query_Cache_*</c> rows of <c>stats_mysql_global</c>, with ProxySQL's names.</summary>
    public IEnumerable<(string Name, long Value)> GlobalCounters()
    {
        yield return ("Query_Cache_Memory_bytes", Bytes);
        yield return ("Query_Cache_count_GET", Gets);
        yield return ("Query_Cache_count_GET_OK", Hits);
        yield return ("Query_Cache_count_SET", Sets);
        yield return ("Query_Cache_bytes_IN", BytesIn);
        yield return ("Query_Cache_bytes_OUT", BytesOut);
        yield return ("Query_Cache_Purged", Purged);
        yield return ("Query_Cache_Entries", Count);
    }

    /// <summary>
    /// The cached response for <paramref name="key"/>, or null: not cached, expired, or (soft ttl) this caller is the
    /// one chosen to refresh the entry from the backend.
    /// </summary>
    public byte[]? TryGet(in QueryCacheKey key)
    {
        Interlocked.Increment(ref _gets);
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        var now = NowMs();
        if (entry.ExpiresAt <= now)
        {
            Remove(key, entry);
            return null;
        }
        var softPct = _runtime.Snapshot.Settings.QueryCacheSoftTtlPct;
        if (softPct > 0 && now >= entry.CreatedAt + entry.TtlMs * softPct / 100 && entry.TryClaimRefresh())
            return null;
        Interlocked.Increment(ref _hits);
        Interlocked.Add(ref _bytesOut, entry.Response.Length);
        return entry.Response;
    }

    public void Store(in QueryCacheKey key, byte[] response, int ttlMs)
    {
        var budget = (long)_runtime.Snapshot.Settings.QueryCacheSizeMB * 1024 * 1024;
        if (response.Length > MaxEntryBytes || response.Length > budget)
            return;
        if (Bytes + response.Length > budget)
            PurgeExpired();
        if (Bytes + response.Length > budget)
            return;
        var now = NowMs();
        var entry = new QueryCacheEntry(response, now, ttlMs);
        _entries.AddOrUpdate(key, entry, (_, old) =>
        {
            Interlocked.Add(ref _bytes, -old.Response.Length);
            Interlocked.Increment(ref _purged);
            return entry;
        });
        Interlocked.Add(ref _bytes, response.Length);
        Interlocked.Increment(ref _sets);
        Interlocked.Add(ref _bytesIn, response.Length);
    }

    /// <summary><c>PROXYSQL FLUSH QUERY CACHE</c>: drops every entry; returns how many there were.</summary>
    public int Clear()
    {
        var removed = 0;
        foreach (var (key, entry) in _entries)
        {
            if (Remove(key, entry))
                removed++;
        }
        return removed;
    }

    private void PurgeExpired()
    {
        var now = NowMs();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
                Remove(key, entry);
        }
    }

    private bool Remove(QueryCacheKey key, QueryCacheEntry entry)
    {
        if (!_entries.TryRemove(new KeyValuePair<QueryCacheKey, QueryCacheEntry>(key, entry)))
            return false;
        Interlocked.Add(ref _bytes, -entry.Response.Length);
        Interlocked.Increment(ref _purged);
        return true;
    }

    private long NowMs() => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    private sealed class QueryCacheEntry(byte[] response, long createdAt, int ttlMs)
    {
        private int _refreshing;

        public byte[] Response { get; } = response;
        public long CreatedAt { get; } = createdAt;
        public long TtlMs { get; } = ttlMs;
        public long ExpiresAt { get; } = createdAt + ttlMs;

        /// <summary>True for the one caller that is to refresh this entry; the entry stays served to the rest.</summary>
        public bool TryClaimRefresh() => Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0;
    }
}

/// <summary>What makes a cached result valid for a client: ProxySQL keys on user and schema; the protocol flags decide the bytes.</summary>
internal readonly record struct QueryCacheKey(string Username, string? Schema, CapabilityFlags Capabilities, string Query);
