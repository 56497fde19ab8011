using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Failover;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Galera;

/// <summary>
/// Issue 14: mysql_galera_hostgroups acted on as ProxySQL does, against a real 3-node MariaDB Galera cluster.
/// Timing-sensitive (the kill drill measures waits), so these run alone.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class GaleraHostgroupTests(ITestOutputHelper output)
{
    private const string BackupPlacement = "10:SHUNNED 20 30", WriterPlacement = "10 30";

    [Fact]
    public async Task One_writer_reads_over_all_and_the_writer_killed_hands_over_without_losing_an_insert()
    {
        await using var drill = await GaleraDrill.StartAsync(output);
        var writer = drill.ExpectedWriter;
        foreach (var node in drill.Cluster.Nodes)
            await drill.WaitPlacementAsync(node, node == writer ? WriterPlacement : BackupPlacement);

        // Writes land on the one writer; reads spread over the three readers.
        var writesOn = new HashSet<string>();
        var readsOn = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            await using var connection = new MySqlConnection(drill.ConnectionString());
            await connection.OpenAsync();
            writesOn.Add((string)(await new MySqlCommand("SELECT @@hostname FOR UPDATE", connection).ExecuteScalarAsync())!);
            readsOn.Add((string)(await new MySqlCommand("SELECT @@hostname", connection).ExecuteScalarAsync())!);
        }
        Assert.Equal([writer.ExpectedHostname], writesOn);
        if (writer.HasOwnHostname)
            Assert.Equal(3, readsOn.Count);

        var inserts = new ConcurrentQueue<Attempt>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            var id = 0;
            while (!stop.IsCancellationRequested)
            {
                var started = DateTime.UtcNow;
                var clock = Stopwatch.StartNew();
                var value = (++id).ToString(CultureInfo.InvariantCulture);
                try
                {
                    await using var connection = new MySqlConnection(drill.ConnectionString());
                    await connection.OpenAsync();
                    await new MySqlCommand($"INSERT INTO testdb.galera_test VALUES ({value}, @@hostname, NOW(6))", connection).ExecuteNonQueryAsync();
                    inserts.Enqueue(new Attempt(started, clock.Elapsed, null, value));
                }
                catch (MySqlException ex)
                {
                    inserts.Enqueue(new Attempt(started, clock.Elapsed, $"{ex.Number} {ex.Message}", value));
                }
                await Task.Delay(100);
            }
        });
        await Task.Delay(1500);
        var killStarted = DateTime.UtcNow;
        await writer.KillAsync();
        var killedAt = DateTime.UtcNow;
        var survivors = drill.Cluster.Nodes.Where(n => n != writer).ToList();
        var newWriter = survivors.MaxBy(n => n.Port)!;
        var handover = await drill.WaitPlacementAsync(newWriter, WriterPlacement);
        await drill.WaitPlacementAsync(writer, "40");
        // Inserts go on through the new writer after the switch. The first ones wait (seconds) until Galera has evicted
        // the dead node; stop once three started more than a second after the kill have succeeded (bounded at 30 s).
        var goOn = Stopwatch.StartNew();
        while (inserts.Count(a => a.Error is null && a.Started > killedAt.AddSeconds(1)) < 3 && goOn.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);
        await stop.CancelAsync();
        await loop;

        output.WriteLine($"handover seen {handover.TotalMilliseconds:0} ms after the kill; inserts: {AttemptLog.Describe(inserts)}");
        foreach (var failed in inserts.Where(a => a.Error is not null))
            output.WriteLine($"  failed at {failed.Started:HH:mm:ss.fff} after {failed.Duration.TotalMilliseconds:0} ms: {failed.Error}");
        // The insert running when the writer died may have committed or not: the proxy says so (9010); nothing else may fail.
        bool InFlightAtKill(Attempt a) => a.Started <= killedAt && a.Started + a.Duration >= killStarted;
        Assert.DoesNotContain(inserts, a => a.Error is not null && !(InFlightAtKill(a) && a.Error.StartsWith("9010 ", StringComparison.Ordinal)));
        Assert.True(inserts.Count(a => a.Error is not null) <= 1);
        await using var check = await newWriter.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);
        var stored = new HashSet<string>();
        await using (var reader = await new MySqlCommand("SET SESSION wsrep_sync_wait=1; SELECT id FROM testdb.galera_test", check).ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                stored.Add(reader.GetInt32(0).ToString(CultureInfo.InvariantCulture));
        }
        var lost = inserts.Where(a => a.Error is null && !stored.Contains(a.Value!)).Select(a => a.Value).ToList();
        Assert.True(lost.Count == 0, $"acknowledged inserts missing on the new writer: {string.Join(", ", lost)}");
        Assert.Contains(inserts, a => a.Error is null && a.Started > killedAt.AddSeconds(1));
    }

    [Fact]
    public async Task Desync_non_primary_and_lag_take_a_node_out_of_the_readers_and_it_comes_back()
    {
        await using var drill = await GaleraDrill.StartAsync(output, maxTransactionsBehind: 5);
        // The fixture: one Primary component of three Synced nodes.
        foreach (var member in drill.Cluster.Nodes)
        {
            Assert.Equal("3", await GaleraCluster.StatusAsync(member, "wsrep_cluster_size"));
            Assert.Equal("Primary", await GaleraCluster.StatusAsync(member, "wsrep_cluster_status"));
            Assert.Equal("4", await GaleraCluster.StatusAsync(member, "wsrep_local_state"));
        }
        var writer = drill.ExpectedWriter;
        var node = drill.Cluster.Nodes.First(n => n != writer);
        await drill.WaitPlacementAsync(writer, WriterPlacement);
        await drill.WaitPlacementAsync(node, BackupPlacement);

        // wsrep_desync=ON: offline at once (ProxySQL: "wsrep_desync=YES"), back as backup writer and reader when OFF.
        await node.ExecuteAsync("SET GLOBAL wsrep_desync=ON");
        output.WriteLine($"desync → offline in {(await drill.WaitPlacementAsync(node, "40")).TotalMilliseconds:0} ms");
        await node.ExecuteAsync("SET GLOBAL wsrep_desync=OFF");
        await drill.WaitPlacementAsync(node, BackupPlacement);
        await AssertNoReadsFromAsync(drill, node, expectNone: false);

        // Cut off from the others, the node is a non-Primary component of one: offline; rejoined, back.
        await node.ExecuteAsync("SET GLOBAL wsrep_provider_options='gmcast.isolate=1'");
        output.WriteLine($"isolated → offline in {(await drill.WaitPlacementAsync(node, "40")).TotalMilliseconds:0} ms");
        Assert.NotEqual("Primary", await GaleraCluster.StatusAsync(node, "wsrep_cluster_status"));
        await AssertNoReadsFromAsync(drill, node, expectNone: true);
        await node.ExecuteAsync("SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
        await drill.WaitPlacementAsync(node, BackupPlacement, TimeSpan.FromSeconds(30));

        // read_only=1: a reader only. Its applier paused (FTWRL) while the writer takes 20 inserts: more than
        // max_transactions_behind=5 queued, so offline ("slave is lagging"); unlocked, it catches up and reads again.
        await node.ExecuteAsync("SET GLOBAL read_only=1");
        await drill.WaitPlacementAsync(node, "30");
        await using (var locked = await node.OpenConnectionAsync(RigCredentials.AdminUser, RigCredentials.AdminPassword))
        {
            await new MySqlCommand("FLUSH TABLES WITH READ LOCK", locked).ExecuteNonQueryAsync();
            for (var i = 0; i < 20; i++)
                await drill.Proxy.MySqlAsync($"INSERT INTO testdb.galera_test VALUES ({1000 + i}, 'lag', NOW(6))");
            output.WriteLine($"queue {await GaleraCluster.StatusAsync(node, "wsrep_local_recv_queue")} → offline in {(await drill.WaitPlacementAsync(node, "40")).TotalMilliseconds:0} ms");
            await new MySqlCommand("UNLOCK TABLES", locked).ExecuteNonQueryAsync();
        }
        await drill.WaitPlacementAsync(node, "30");
        // Every move was logged in the monitor's Galera log, one row per check.
        var log = await drill.Proxy.AdminAsync($"SELECT COUNT(*) FROM monitor.mysql_server_galera_log WHERE port={node.Port} AND primary_partition='NO';");
        Assert.True(int.Parse(log.StandardOutput.Trim(), CultureInfo.InvariantCulture) > 0, log.StandardOutput + log.StandardError);
        Assert.Equal(WriterPlacement, await drill.PlacementOfAsync(writer));
    }

    /// <summary>Reads through the proxy: none (or some) answered by <paramref name="node"/>.</summary>
    private static async Task AssertNoReadsFromAsync(GaleraDrill drill, MariaDbServer node, bool expectNone)
    {
        if (!node.HasOwnHostname)
            return;
        var seen = false;
        for (var i = 0; i < 30 && !seen; i++)
        {
            await using var connection = new MySqlConnection(drill.ConnectionString());
            await connection.OpenAsync();
            seen = (string?)await new MySqlCommand("SELECT @@hostname", connection).ExecuteScalarAsync() == node.Name;
        }
        Assert.Equal(!expectNone, seen);
    }
}
