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
}
