using ProxyLayer.Backends;

namespace ProxyLayer.Tests.Backends;

public sealed class HostgroupDemandHeldTests
{
    [Fact]
    public void Held_statements_are_counted_per_hostgroup_with_their_wait()
    {
        var demand = new HostgroupDemand();
        Assert.Empty(demand.Held);
        var first = demand.BeginWaiting(10);
        var second = demand.BeginWaiting(10);
        Assert.Equal(new HeldStatements(10, 2, 0, 2), demand.Held.Single() with { WaitMicroseconds = 0 });
        first.Dispose();
        second.Dispose();
        using (demand.BeginWaiting(20))
        {
        }
        var held = demand.Held.ToDictionary(h => h.Hostgroup);
        Assert.Equal(2, held[10].Count);
        Assert.Equal(0, held[10].WaitingNow);
        Assert.True(held[10].WaitMicroseconds >= 0);
        Assert.Equal(1, held[20].Count);
        Assert.False(demand.IsStarved(10));
    }

    [Fact]
    public void Gtid_positions_count_as_needed_only_within_the_window_after_a_read_needed_them()
    {
        var demand = new HostgroupDemand();
        Assert.False(demand.GtidPositionsNeededWithin(TimeSpan.FromSeconds(10)));
        demand.OnGtidPositionsNeeded();
        Assert.True(demand.GtidPositionsNeededWithin(TimeSpan.FromSeconds(10)));
        Thread.Sleep(30);
        Assert.False(demand.GtidPositionsNeededWithin(TimeSpan.FromMilliseconds(5)));
    }
}
