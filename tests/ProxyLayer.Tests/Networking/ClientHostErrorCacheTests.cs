using System.Net;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Networking;

namespace ProxyLayer.Tests.Networking;

/// <summary>ProxySQL's client host cache semantics (MySQL_Threads_Handler::update_client_host_cache / find_client_host_cache).</summary>
public sealed class ClientHostErrorCacheTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress C = IPAddress.Parse("10.0.0.3");
    private readonly FakeTimeProvider _time = new();
    private (int Size, int ErrorCounts) _settings = (10, 3);

    private ClientHostErrorCache Create() => new(() => _settings, _time);

    [Fact]
    public void Address_is_refused_once_its_failures_reach_the_limit()
    {
        var cache = Create();
        cache.RecordFailure(A);
        cache.RecordFailure(A);
        Assert.Null(cache.Blocks(A));
        cache.RecordFailure(A);
        Assert.Equal(3, cache.Blocks(A));
        Assert.Null(cache.Blocks(B));
    }

    [Fact]
    public void Success_forgets_the_address()
    {
        var cache = Create();
        cache.RecordFailure(A);
        cache.RecordFailure(A);
        cache.RecordSuccess(A);
        cache.RecordFailure(A);
        Assert.Null(cache.Blocks(A));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Size_zero_turns_everything_off()
    {
        _settings = (0, 0);
        var cache = Create();
        cache.RecordFailure(A);
        Assert.Null(cache.Blocks(A));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Localhost_is_never_counted_but_other_loopback_addresses_are()
    {
        _settings = (10, 1);
        var cache = Create();
        cache.RecordFailure(IPAddress.Loopback);
        cache.RecordFailure(IPAddress.Parse("127.0.0.2"));
        Assert.Null(cache.Blocks(IPAddress.Loopback));
        Assert.Equal(1, cache.Blocks(IPAddress.Parse("::ffff:127.0.0.2")));
    }

    [Fact]
    public void A_full_cache_replaces_its_least_recently_failed_address()
    {
        _settings = (2, 1);
        var cache = Create();
        cache.RecordFailure(A);
        _time.Advance(TimeSpan.FromSeconds(1));
        cache.RecordFailure(B);
        _time.Advance(TimeSpan.FromSeconds(1));
        cache.RecordFailure(C);
        Assert.Null(cache.Blocks(A));
        Assert.NotNull(cache.Blocks(B));
        Assert.NotNull(cache.Blocks(C));
    }

    [Fact]
    public void A_lowered_size_takes_no_new_addresses_until_the_cache_has_shrunk()
    {
        var cache = Create();
        cache.RecordFailure(A);
        cache.RecordFailure(B);
        _settings = (1, 1);
        cache.RecordFailure(C); // evicts the oldest (A); still 1 entry too many for C to be added
        Assert.Null(cache.Blocks(C));
        Assert.Equal(1, cache.Count);
    }
}
