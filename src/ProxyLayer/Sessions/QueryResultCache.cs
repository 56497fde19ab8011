using System.Collections.Concurrent;
using System.Globalization;
using ProxyLayer.Config;
using ProxyLayer.Protocol;

namespace ProxyLayer.Sessions;

/// <summary>
/// ProxySQL's query cache: result sets of statements whose rule sets <c>cache_ttl</c> (ms), kept as the exact bytes
/// the client received and replayed to later clients with the same user, schema, protocol flags and query text.
/// Bounded by <c>mysql-query_cache_size_MB</c>: expired entries are dropped when room is needed, and a result that
/// does not fit is simply not cached.
/// </summary>
internal sealed class QueryResultCache
{
    /// <summary>The largest single result kept (ProxySQL caches whole results; big ones would crowd out the rest).</summary>
    public const int MaxEntryBytes = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<QueryCacheKey, QueryCacheEntry> _entries = new();
    private readonly RuntimeConfigManager _runtime;
    private long _bytes;
    private long _hits;
    private long _misses;

    public QueryResultCache(RuntimeConfigManager runtime) => _runtime = runtime;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Bytes => Interlocked.Read(ref _bytes);
    public int Count => _entries.Count;

    public byte[]? TryGet(in QueryCacheKey key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > Environment.TickCount64)
            {
                Interlocked.Increment(ref _hits);
                return entry.Response;
            }
            Remove(key, entry);
        }
        Interlocked.Increment(ref _misses);
        return null;
    }

    public void Store(in QueryCacheKey key, byte[] response, int ttlMs)
    {
        var budget = BudgetBytes();
        if (response.Length > MaxEntryBytes || response.Length > budget)
            return;
        if (Bytes + response.Length > budget)
            PurgeExpired();
        if (Bytes + response.Length > budget)
            return;
        var entry = new QueryCacheEntry(response, Environment.TickCount64 + ttlMs);
        _entries.AddOrUpdate(key, entry, (_, old) =>
        {
            Interlocked.Add(ref _bytes, -old.Response.Length);
            return entry;
        });
        Interlocked.Add(ref _bytes, response.Length);
    }

    /// <summary>PROXYSQL FLUSH QUERY CACHE.</summary>
    public void Clear()
    {
        foreach (var (key, entry) in _entries)
            Remove(key, entry);
    }

    private void PurgeExpired()
    {
        var now = Environment.TickCount64;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
                Remove(key, entry);
        }
    }

    private void Remove(QueryCacheKey key, QueryCacheEntry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<QueryCacheKey, QueryCacheEntry>(key, entry)))
            Interlocked.Add(ref _bytes, -entry.Response.Length);
    }

    private long BudgetBytes() =>
        long.TryParse(_runtime.Snapshot.Config.Variables.GetValueOrDefault("mysql-query_cache_size_MB"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var megabytes) ? megabytes * 1024 * 1024 : 256L * 1024 * 1024;

    private sealed record QueryCacheEntry(byte[] Response, long ExpiresAt);
}

/// <summary>What makes a cached result valid for a client: ProxySQL keys on user and schema; the protocol flags decide the bytes.</summary>
internal readonly record struct QueryCacheKey(string Username, string? Schema, CapabilityFlags Capabilities, string Query);
