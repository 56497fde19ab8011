using ProxyLayer.Stats;

namespace ProxyLayer.Tests.Stats;

public sealed class HostgroupLatencyTests
{
    [Fact]
    public void Each_hostgroup_keeps_its_own_count_total_and_buckets()
    {
        var latency = new HostgroupLatency();
        latency.Record(10, 50);
        latency.Record(10, 2_000);
        latency.Record(20, 700);
        latency.Record(-1, 10);
        latency.Record(int.MaxValue, 20_000_000);

        var rows = latency.Snapshot().ToDictionary(r => r.Hostgroup);
        Assert.Equal([-1, 10, 20, int.MaxValue], rows.Keys.Order());
        Assert.Equal(2, rows[10].Count);
        Assert.Equal(2_050, rows[10].TotalTimeMicroseconds);
        Assert.Equal(1, rows[10].Buckets[0]);   // ≤ 100 µs
        Assert.Equal(1, rows[10].Buckets[3]);   // ≤ 5 ms
        Assert.Equal(1, rows[20].Buckets[2]);   // ≤ 1 ms
        Assert.Equal(1, rows[int.MaxValue].Buckets[^1]); // +Inf
    }

    [Fact]
    public void Hostgroups_past_the_slots_share_the_overflow_row()
    {
        var latency = new HostgroupLatency();
        for (var hostgroup = 0; hostgroup < HostgroupLatency.Slots + 5; hostgroup++)
            latency.Record(hostgroup * 7, 1);
        var rows = latency.Snapshot();
        Assert.Equal(HostgroupLatency.Slots + 1, rows.Count);
        Assert.Equal(5, rows.Single(r => r.Hostgroup == HostgroupLatency.OverflowHostgroup).Count);
    }

    [Fact]
    public async Task Concurrent_first_use_of_one_hostgroup_claims_one_slot()
    {
        var latency = new HostgroupLatency();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
                latency.Record(i % 3, 1);
        })));
        var rows = latency.Snapshot();
        Assert.Equal([0, 1, 2], rows.Select(r => r.Hostgroup));
        Assert.Equal(80_000, rows.Sum(r => r.Count));
    }
}
