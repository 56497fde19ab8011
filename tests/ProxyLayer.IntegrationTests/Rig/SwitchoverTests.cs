using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

/// <summary>Planned switchover: nobody is killed, every server ends up replicating from the new primary.</summary>
public sealed class SwitchoverTests
{
    [Fact]
    public async Task Switchover_moves_the_primary_role_to_db002()
    {
        await using var topology = await ReplicationTopology.StartAsync();
        var (db001, db002, db003) = (topology.GetServer("db001"), topology.GetServer("db002"), topology.GetServer("db003"));
        await RigAssert.WriteReachesAsync(topology, db001, db002, db003);

        await topology.SwitchoverAsync(db001, db002);

        Assert.Same(db002, topology.Primary);
        Assert.False(await db002.IsReadOnlyAsync());
        Assert.True(await db001.IsReadOnlyAsync());
        await RigAssert.ReplicatesFromAsync(db001, db002);
        await RigAssert.ReplicatesFromAsync(db003, db002);
        await RigAssert.WriteReachesAsync(topology, db002, db001, db003);
    }
}
