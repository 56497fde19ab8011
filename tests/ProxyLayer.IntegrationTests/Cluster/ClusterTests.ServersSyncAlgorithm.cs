using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Cluster;

/// <summary>
/// admin-cluster_mysql_servers_sync_algorithm: a runtime-only change of node 1's servers (what its monitor does when it
/// moves a server; made here through the same RuntimeConfigManager.UpdateServers call the monitor makes) reaches node 2
/// with algorithm 1, and with 3 on a node without its monitor, but not with 2. Checked by routing SELECT @@port.
/// </summary>
public sealed partial class ClusterTests
{
    [Fact]
    public async Task A_runtime_move_on_node_1_reaches_node_2_with_sync_algorithm_1_or_3_but_not_2()
    {
        var ports = Enumerable.Range(0, 4).Select(_ => PortAllocator.GetFreePort()).ToArray();
        // Admin variables stay per node here, so each node keeps the algorithm the test gives it.
        const string Extra = Diffs + "cluster_admin_variables_diffs_before_sync=0 ";
        await using var node1 = await StartNodeAsync(1, ports[0], ports[1], Extra + "cluster_mysql_servers_sync_algorithm=1");
        await using var node2 = await StartNodeAsync(2, ports[2], ports[3], Extra + "cluster_mysql_servers_sync_algorithm=2");
        foreach (var node in new[] { node1, node2 })
            await node.AdminAsync(PeersStatement(ports[0], ports[2]));
        // A LOAD on node 1 (version 2: a node at version 1 is never synced from), and the rule to hostgroup 30 (replica B).
        await node1.AdminAsync("LOAD MYSQL SERVERS TO RUNTIME;" + RouteToHostgroup30);
        await InForceWithinBoundAsync("rule on node 2", () => Routes(node2, ReplicaB));

        // Node 1 at runtime only: replica A joins hostgroup 30, replica B there goes OFFLINE_SOFT.
        MoveHostgroup30(node1, to: ReplicaA, from: ReplicaB);
        Assert.Equal(ReplicaA, await node1.RoutedPortAsync());
        var moved = (await node1.AdminAsync("SELECT checksum FROM runtime_checksums_values WHERE name='mysql_servers';")).Trim();

        // Algorithm 2: node 2 sees node 1's new runtime checksum for more checks than diffs_before_sync, and stays.
        await EventuallyAsync("node 2 counts node 1's new runtime_mysql_servers", async () =>
        {
            var row = (await node2.AdminAsync($"SELECT checksum, diff_check FROM stats_proxysql_servers_checksums WHERE port={ports[0]} AND name='mysql_servers';")).Split('\t');
            return row[0] == moved && int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture) > DiffsBeforeSync + 2;
        });
        Assert.Equal(ReplicaB, await node2.RoutedPortAsync());
        Assert.Equal("", await node2.AdminAsync("SELECT port FROM runtime_mysql_servers WHERE status='OFFLINE_SOFT';"));

        // Algorithm 1: node 2 takes node 1's runtime servers (MEMORY and DISK too, as cluster_mysql_servers_save_to_disk).
        await node2.AdminAsync("UPDATE global_variables SET variable_value='1' WHERE variable_name='admin-cluster_mysql_servers_sync_algorithm'; LOAD ADMIN VARIABLES TO RUNTIME;");
        await InForceWithinBoundAsync("runtime move on node 2 (algorithm 1)", () => Routes(node2, ReplicaA));
        Assert.Equal($"{ReplicaB}\n", await node2.AdminAsync("SELECT port FROM runtime_mysql_servers WHERE hostgroup_id=30 AND status='OFFLINE_SOFT';"));
        await EventuallyAsync("saved to disk on node 2", async () =>
            await node2.AdminAsync("SELECT port FROM disk.mysql_servers WHERE hostgroup_id=30 AND status='OFFLINE_SOFT';") == $"{ReplicaB}\n");
        Assert.Equal(moved, (await node2.AdminAsync("SELECT checksum FROM runtime_checksums_values WHERE name='mysql_servers';")).Trim());

        // Algorithm 3 on a node without its monitor acts as 1: node 1 moves back (a second later, so a newer epoch).
        await node2.AdminAsync("UPDATE global_variables SET variable_value='3' WHERE variable_name='admin-cluster_mysql_servers_sync_algorithm'; LOAD ADMIN VARIABLES TO RUNTIME;");
        await Task.Delay(1100);
        MoveHostgroup30(node1, to: ReplicaB, from: ReplicaA);
        Assert.Equal(ReplicaB, await node1.RoutedPortAsync());
        await InForceWithinBoundAsync("move back on node 2 (algorithm 3, no monitor)", () => Routes(node2, ReplicaB));
        Assert.Equal(0, node2.Host.Cluster.RefusedSyncs);
    }

    /// <summary>What a monitor move does to the runtime: <paramref name="to"/> serves hostgroup 30, <paramref name="from"/> there goes OFFLINE_SOFT.</summary>
    private static void MoveHostgroup30(ClusterNodeUnderTest node, int to, int from) =>
        Assert.True(node.Host.Runtime.UpdateServers(servers =>
        [
            .. servers.Where(s => !(s.HostgroupId == 30 && (s.Port == to || s.Port == from))),
            new ServerConfig { HostgroupId = 30, Hostname = "127.0.0.1", Port = to },
            new ServerConfig { HostgroupId = 30, Hostname = "127.0.0.1", Port = from, Status = ServerStatus.OfflineSoft },
        ]));
}
