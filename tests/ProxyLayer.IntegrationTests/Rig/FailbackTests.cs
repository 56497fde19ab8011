using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

/// <summary>After a failover, the old primary comes back as a read_only replica of the new one.</summary>
public sealed class FailbackTests
{
    [Fact]
    public async Task Killed_db001_restarts_as_read_only_replica_of_db002()
    {
        await using var topology = await ReplicationTopology.StartAsync();
        var (db001, db002, db003) = (topology.GetServer("db001"), topology.GetServer("db002"), topology.GetServer("db003"));
        await RigAssert.WriteReachesAsync(topology, db001, db002, db003);
        await topology.FailoverAsync(db002);
        await RigAssert.WriteReachesAsync(topology, db002, db003);

        await topology.RestartAsReplicaAsync(db001, db002);

        Assert.True(db001.IsRunning);
        Assert.Equal(db001.ExpectedHostname, await db001.QueryScalarAsync("SELECT @@hostname"));
        Assert.True(await db001.IsReadOnlyAsync());
        await RigAssert.ReplicatesFromAsync(db001, db002);
        Assert.Equal([db001, db003], topology.Replicas);
        await RigAssert.WriteReachesAsync(topology, db002, db001, db003);
    }
}
