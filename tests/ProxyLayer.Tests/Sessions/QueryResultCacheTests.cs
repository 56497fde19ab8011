using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Protocol;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class QueryResultCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RuntimeConfigManager _runtime = new(new BackendServerRegistry(), NullLogger<RuntimeConfigManager>.Instance);

    private QueryResultCache Cache(params (string Name, string Value)[] variables)
    {
        var config = ProxyConfig.Empty with { Variables = ProxyConfig.Empty.Variables.SetItems(variables.Select(v => KeyValuePair.Create(v.Name, v.Value))) };
        Assert.True(_runtime.Apply(config).Succeeded);
        return new QueryResultCache(_runtime, _time);
    }

    private static QueryCacheKey Key(string query = "SELECT 1", string user = "app") => new(user, "db", CapabilityFlags.DeprecateEof, query);

    [Fact]
    public void Counters_follow_gets_hits_sets_and_bytes()
    {
        var cache = Cache();
        Assert.Null(cache.TryGet(Key()));
        cache.Store(Key(), [1, 2, 3], ttlMs: 1000);

        Assert.Equal([1, 2, 3], cache.TryGet(Key()));
        Assert.Null(cache.TryGet(Key(user: "other")));

        Assert.Equal((3L, 1L, 1L, 3L, 3L, 1, 3L), (cache.Gets, cache.Hits, cache.Sets, cache.BytesIn, cache.BytesOut, cache.Count, cache.Bytes));
        Assert.Equal(
            ["Query_Cache_Memory_bytes", "Query_Cache_count_GET", "Query_Cache_count_GET_OK", "Query_Cache_count_SET",
             "Query_Cache_bytes_IN", "Query_Cache_bytes_OUT", "Query_Cache_Purged", "Query_Cache_Entries"],
            cache.GlobalCounters().Select(c => c.Name));
    }

    [Fact]
    public void Entries_expire_at_their_ttl_and_count_as_purged()
    {
        var cache = Cache();
        cache.Store(Key(), [1], ttlMs: 1000);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.NotNull(cache.TryGet(Key()));

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Null(cache.TryGet(Key()));
        Assert.Equal((0, 0L, 1L), (cache.Count, cache.Bytes, cache.Purged));
    }

    [Fact]
    public void After_the_soft_ttl_one_caller_refreshes_while_the_others_still_get_the_entry()
    {
        var cache = Cache(("mysql-query_cache_soft_ttl_pct", "50"));
        cache.Store(Key(), [1], ttlMs: 1000);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.NotNull(cache.TryGet(Key()));

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Null(cache.TryGet(Key()));      // this caller goes to the backend
        Assert.NotNull(cache.TryGet(Key()));   // everyone else is still served
        Assert.NotNull(cache.TryGet(Key()));
        cache.Store(Key(), [2], ttlMs: 1000);  // the refresh: a new entry with a new ttl
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal([2], cache.TryGet(Key()));
        Assert.Equal([2], cache.TryGet(Key()));
    }

    [Fact]
    public void Without_a_soft_ttl_every_caller_is_served_until_expiry()
    {
        var cache = Cache();
        cache.Store(Key(), [1], ttlMs: 1000);
        _time.Advance(TimeSpan.FromMilliseconds(990));

        Assert.NotNull(cache.TryGet(Key()));
        Assert.NotNull(cache.TryGet(Key()));
    }

    [Fact]
    public void Clear_drops_everything_and_says_how_much()
    {
        var cache = Cache();
        cache.Store(Key("SELECT 1"), [1], 1000);
        cache.Store(Key("SELECT 2"), [2, 2], 1000);

        Assert.Equal(2, cache.Clear());

        Assert.Null(cache.TryGet(Key("SELECT 1")));
        Assert.Equal((0, 0L, 2L), (cache.Count, cache.Bytes, cache.Purged));
    }

    [Fact]
    public void A_result_larger_than_the_budget_is_not_kept()
    {
        var cache = Cache(("mysql-query_cache_size_MB", "0"));

        cache.Store(Key(), [1], 1000);

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Sets);
    }
}
