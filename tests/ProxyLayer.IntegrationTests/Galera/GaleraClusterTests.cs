using System.Globalization;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Galera;

/// <summary>The fixture itself: three real nodes in one Primary component that replicate to each other.</summary>
public sealed class GaleraClusterTests
{
    [Fact]
    public async Task Three_nodes_form_one_primary_component_and_replicate()
    {
        await using var cluster = await GaleraCluster.StartAsync();
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal("3", await GaleraCluster.StatusAsync(node, "wsrep_cluster_size"));
            Assert.Equal("Primary", await GaleraCluster.StatusAsync(node, "wsrep_cluster_status"));
        }
        await cluster.Nodes[1].ExecuteAsync("INSERT INTO testdb.galera_test VALUES (1, @@hostname, NOW(6))");
        foreach (var node in cluster.Nodes)
            Assert.Equal(1L, Convert.ToInt64(await node.QueryScalarAsync("SET SESSION wsrep_sync_wait=1; SELECT COUNT(*) FROM testdb.galera_test"), CultureInfo.InvariantCulture));
    }
}
