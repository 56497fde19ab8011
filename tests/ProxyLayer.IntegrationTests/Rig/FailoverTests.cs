using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

/// <summary>Unplanned failover on a topology of its own.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Kill_promote_repoint_makes_db003_replicate_from_db002()
    {
        await using var topology = await ReplicationTopology.StartAsync();
        var (db001, db002, db003) = (topology.GetServer("db001"), topology.GetServer("db002"), topology.GetServer("db003"));
        await RigAssert.WriteReachesAsync(topology, db001, db002, db003);

        var killed = await topology.KillPrimaryAsync();
        await topology.PromoteAsync(db002);
        await topology.RepointAsync(db003, db002);

        Assert.Same(db001, killed);
        Assert.False(db001.IsRunning);
        Assert.Same(db002, topology.Primary);
        Assert.Equal([db003], topology.Replicas);
        Assert.False(await db002.IsReadOnlyAsync());
        Assert.Null(await db002.GetReplicaStatusAsync());
        Assert.True(await db003.IsReadOnlyAsync());
        await RigAssert.ReplicatesFromAsync(db003, db002);
        await RigAssert.WriteReachesAsync(topology, db002, db003);
    }
}
