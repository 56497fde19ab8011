using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

/// <summary>Read-mostly checks on a shared topology; nothing here changes roles.</summary>
public sealed class ReplicationTopologyTests(TopologyFixture fixture) : IClassFixture<TopologyFixture>
{
    private readonly ReplicationTopology _topology = fixture.Topology;

    [Fact]
    public void Topology_has_db001_as_primary_and_two_replicas()
    {
        Assert.Equal("db001", _topology.Primary.Name);
        Assert.Equal(["db002", "db003"], _topology.Replicas.Select(replica => replica.Name));
    }

    [Fact]
    public async Task Insert_on_the_primary_reaches_every_replica()
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        await _topology.Primary.ExecuteAsync($"insert into testdb.insert_test values ('{marker}', now(6))");

        await _topology.WaitForReplicaSyncAsync();

        foreach (var replica in _topology.Replicas)
            Assert.Equal(1, await RigAssert.CountRowsAsync(replica, marker));
    }

    [Fact]
    public async Task Demo_insert_records_the_primary_hostname_on_every_replica()
    {
        await using (var connection = await _topology.Primary.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword))
        await using (var insert = new MySqlCommand("insert into testdb.insert_test select @@hostname,now()", connection))
            await insert.ExecuteNonQueryAsync();

        await _topology.WaitForReplicaSyncAsync();

        foreach (var replica in _topology.Replicas)
            Assert.True(await RigAssert.CountRowsAsync(replica, _topology.Primary.ExpectedHostname) >= 1);
    }

    [Fact]
    public async Task Replicas_are_read_only_and_replicate_from_db001()
    {
        Assert.False(await _topology.Primary.IsReadOnlyAsync());
        foreach (var replica in _topology.Replicas)
        {
            Assert.True(await replica.IsReadOnlyAsync());
            await RigAssert.ReplicatesFromAsync(replica, _topology.Primary);
        }
    }

    [Fact]
    public async Task App_user_cannot_write_on_a_replica()
    {
        var replica = _topology.Replicas[0];
        await using var connection = await replica.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);
        await using var insert = new MySqlCommand("insert into testdb.insert_test select @@hostname,now()", connection);

        var exception = await Assert.ThrowsAsync<MySqlException>(() => insert.ExecuteNonQueryAsync());

        Assert.Equal(MySqlErrorCode.OptionPreventsStatement, exception.ErrorCode);
    }

    [Fact]
    public async Task Every_server_reports_its_own_hostname()
    {
        foreach (var server in _topology.Servers)
            Assert.Equal(server.ExpectedHostname, await server.QueryScalarAsync("SELECT @@hostname"));
    }
}
