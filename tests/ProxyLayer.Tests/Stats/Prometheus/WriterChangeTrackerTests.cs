using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.Stats.Prometheus;

namespace ProxyLayer.Tests.Stats.Prometheus;

/// <summary>Time-to-detect of failovers: from the first failure sign against the old writer to a new writer in the runtime.</summary>
public sealed class WriterChangeTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly BackendServerRegistry _registry = new();
    private readonly RuntimeConfigManager _runtime;
    private readonly WriterChangeTracker _tracker;

    public WriterChangeTrackerTests()
    {
        _runtime = new RuntimeConfigManager(_registry, NullLogger<RuntimeConfigManager>.Instance);
        var result = _runtime.Apply(ProxyConfig.Empty with
        {
            Servers = [Entry("a", ServerStatus.Online), Entry("b", ServerStatus.OfflineSoft)],
            ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = 10, ReaderHostgroup = 20 }],
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        _tracker = new WriterChangeTracker(_runtime, _time);
    }

    [Fact]
    public void A_failover_through_an_empty_writer_hostgroup_is_timed_from_the_first_sign()
    {
        Sign("a");
        _time.Advance(TimeSpan.FromMilliseconds(2500));
        SetStatus("a", ServerStatus.Shunned);
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        SetStatus("b", ServerStatus.Online);

        Assert.Equal([null, 3.5], _tracker.Recent.Select(c => c.DetectSeconds));
        var (hostgroup, reading) = Assert.Single(_tracker.DetectTimes);
        Assert.Equal(10, hostgroup);
        Assert.Equal((1L, 3.5, 3.5), (reading.Count, reading.Sum, reading.Last));
        Assert.Equal(1, reading.Buckets[Array.IndexOf(DetectHistogram.BucketBounds, 5)]);
    }

    [Fact]
    public void A_new_writer_added_before_the_old_one_leaves_completes_the_failover_when_it_leaves()
    {
        Sign("a");
        _time.Advance(TimeSpan.FromSeconds(1));
        SetStatus("b", ServerStatus.Online);
        _time.Advance(TimeSpan.FromSeconds(1));
        SetStatus("a", ServerStatus.Shunned);

        Assert.Equal([null, 2.0], _tracker.Recent.Select(c => c.DetectSeconds));
    }

    [Fact]
    public void A_writer_that_comes_back_alone_or_leaves_without_a_sign_is_not_a_failover()
    {
        Sign("a");
        SetStatus("a", ServerStatus.Shunned);
        _time.Advance(TimeSpan.FromSeconds(3));
        SetStatus("a", ServerStatus.Online);
        _registry.Get("a", 3306).FailureSigns.Clear(FailureSign.Ping);
        SetStatus("a", ServerStatus.OfflineSoft);      // an admin's switchover: no sign against a
        SetStatus("b", ServerStatus.Online);

        Assert.Equal(4, _tracker.Changes[10]);
        Assert.All(_tracker.Recent, c => Assert.Null(c.DetectSeconds));
        Assert.Empty(_tracker.DetectTimes);
    }

    private static ServerConfig Entry(string host, ServerStatus status) =>
        new() { HostgroupId = 10, Hostname = host, Port = 3306, Status = status };

    private void Sign(string host) =>
        _registry.Get(host, 3306).FailureSigns.Note(FailureSign.Ping, _time.GetUtcNow().ToUnixTimeMilliseconds());

    private void SetStatus(string host, ServerStatus status) =>
        Assert.True(_runtime.UpdateServers(list => [.. list.Select(e => e.Hostname == host ? e with { Status = status } : e)]));
}
