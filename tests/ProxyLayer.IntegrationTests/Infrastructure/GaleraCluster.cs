using System.Diagnostics;
using System.Globalization;

namespace ProxyLayer.IntegrationTests.Infrastructure;

/// <summary>
/// A real MariaDB Galera cluster (wsrep_provider from Debian's galera-4) of <c>nodes</c> servers on loopback ports, each in
/// its own rig directory: node 1 bootstraps with <c>--wsrep-new-cluster</c>, the others join at the cluster's position
/// (no state snapshot transfer, see <see cref="GaleraNodeOptions.JoinPosition"/>), so three nodes are up in seconds.
/// Holds <c>testdb.galera_test</c> (with a primary key, as Galera wants). Killed servers are not restarted.
/// </summary>
public sealed class GaleraCluster : IAsyncDisposable
{
    private static int _clusterCounter;

    private GaleraCluster(List<MariaDbServer> nodes) => Nodes = nodes;

    public IReadOnlyList<MariaDbServer> Nodes { get; }

    public static async Task<GaleraCluster> StartAsync(int nodes = 3, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(GaleraArguments.ProviderPath))
            throw new InvalidOperationException($"{GaleraArguments.ProviderPath} is missing: install galera-4 (scripts/setup.sh does).");
        var clusterName = string.Create(CultureInfo.InvariantCulture,
            $"rig{Environment.ProcessId}-{Interlocked.Increment(ref _clusterCounter)}");
        var groupPorts = Enumerable.Range(0, nodes).Select(_ => PortAllocator.GetFreePort()).ToArray();
        var address = "gcomm://" + string.Join(',', groupPorts.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"));
        List<MariaDbServer> started = [];
        try
        {
            GaleraPosition? position = null;
            for (var i = 0; i < nodes; i++)
            {
                var galera = new GaleraNodeOptions(clusterName, groupPorts[i], PortAllocator.GetFreePort(), address, Bootstrap: i == 0, position);
                var node = await MariaDbServer.StartAsync($"galera{i + 1}", new MariaDbServerOptions { Galera = galera, CreateSchema = false }, cancellationToken);
                started.Add(node);
                await WaitSyncedAsync(node, expectedSize: i + 1, cancellationToken);
                position = await PositionOfAsync(started[0], cancellationToken);
            }
            await started[0].ExecuteAsync(RigSql.Schema + """

                CREATE TABLE IF NOT EXISTS testdb.galera_test (id INT PRIMARY KEY, hostname VARCHAR(64), ts DATETIME(6));
                """, cancellationToken);
            foreach (var node in started)
                await WaitUntilAsync(node, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name='galera_test'", "1", cancellationToken);
            return new GaleraCluster(started);
        }
        catch
        {
            foreach (var node in started)
                await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A wsrep status variable of <paramref name="node"/> (e.g. <c>wsrep_local_state</c>).</summary>
    public static async Task<string?> StatusAsync(MariaDbServer node, string variable, CancellationToken cancellationToken = default) =>
        Convert.ToString(await node.QueryScalarAsync(
            $"SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='{variable.ToUpperInvariant()}'", cancellationToken),
            CultureInfo.InvariantCulture);

    /// <summary>Polls <paramref name="sql"/> on <paramref name="node"/> until it returns <paramref name="expected"/> (30 s).</summary>
    public static async Task WaitUntilAsync(MariaDbServer node, string sql, string expected, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        string? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            last = Convert.ToString(await node.QueryScalarAsync(sql, cancellationToken), CultureInfo.InvariantCulture);
            if (last == expected)
                return;
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"{node}: '{sql}' returned '{last}', not '{expected}', for 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        // Killed, not stopped: a clean shutdown of a Galera node waits for the others, and the data is thrown away anyway.
        foreach (var node in Nodes)
            await node.DisposeAsync();
    }

    private static async Task WaitSyncedAsync(MariaDbServer node, int expectedSize, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var state = await StatusAsync(node, "wsrep_local_state", cancellationToken);
            var size = await StatusAsync(node, "wsrep_cluster_size", cancellationToken);
            if (state == "4" && size == expectedSize.ToString(CultureInfo.InvariantCulture))
                return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new MariaDbStartException($"{node} did not reach Synced in a cluster of {expectedSize} within 30 s (state {state}, size {size})");
            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<GaleraPosition> PositionOfAsync(MariaDbServer node, CancellationToken cancellationToken)
    {
        var uuid = await StatusAsync(node, "wsrep_local_state_uuid", cancellationToken) ?? throw new InvalidOperationException("no wsrep_local_state_uuid");
        var seqno = long.Parse(await StatusAsync(node, "wsrep_last_committed", cancellationToken) ?? "-1", CultureInfo.InvariantCulture);
        return new GaleraPosition(uuid, seqno);
    }
}
