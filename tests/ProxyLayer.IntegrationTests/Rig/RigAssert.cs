using System.Globalization;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Rig;

/// <summary>Assertions shared by the rig tests.</summary>
internal static class RigAssert
{
    public static async Task<long> CountRowsAsync(MariaDbServer server, string hostname)
    {
        await using var connection = await server.OpenConnectionAsync(RigCredentials.AdminUser, RigCredentials.AdminPassword);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM testdb.insert_test WHERE hostname = @hostname";
        command.Parameters.AddWithValue("@hostname", hostname);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static async Task ReplicatesFromAsync(MariaDbServer replica, MariaDbServer source)
    {
        var status = await replica.GetReplicaStatusAsync();
        Assert.NotNull(status);
        Assert.Equal(source.Port, status.SourcePort);
        Assert.True(status.IsReplicating, $"{replica}: {status}");
    }

    /// <summary>Writes one row on <paramref name="primary"/> as the app user and checks it reaches <paramref name="replicas"/>.</summary>
    public static async Task WriteReachesAsync(ReplicationTopology topology, MariaDbServer primary, params MariaDbServer[] replicas)
    {
        var marker = $"marker-{Guid.NewGuid():N}";
        await using (var connection = await primary.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword))
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO testdb.insert_test VALUES (@marker, now(6))";
            insert.Parameters.AddWithValue("@marker", marker);
            await insert.ExecuteNonQueryAsync();
        }

        await topology.WaitForReplicaSyncAsync();
        foreach (var replica in replicas)
            Assert.Equal(1, await CountRowsAsync(replica, marker));
    }
}
