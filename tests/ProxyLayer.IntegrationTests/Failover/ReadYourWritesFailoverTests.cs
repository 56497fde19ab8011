using System.Collections.Concurrent;
using System.Diagnostics;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Failover;

/// <summary>
/// Read-your-writes while the primary is killed and a replica promoted: the GTID domain goes on under a new server
/// id. Whatever fails, no read that follows an acknowledged insert may miss it, and none may hang.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class ReadYourWritesFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Insert_then_select_pairs_never_miss_their_row_across_a_failover()
    {
        const int clients = 4;
        // Wait up to 1 s on a replica; a statement of the loop may take longer only while the failover itself holds it
        // (the writer gone, mysql-connect_timeout_server_max): bounded below at 20 s, far above both on a loaded machine.
        const int WaitTimeoutMs = 1000;
        var longestAllowed = TimeSpan.FromSeconds(20);
        await using var drill = await FailoverDrill.StartAsync(output);
        var set = await drill.Proxy.AdminAsync($"SET mysql-read_your_writes='true'; SET mysql-read_your_writes_wait_timeout_ms='{WaitTimeoutMs}'; " +
            "SET mysql-monitor_gtid_interval='100'; LOAD MYSQL VARIABLES TO RUNTIME;");
        Assert.True(set.Succeeded, set.StandardError);

        var misses = new ConcurrentQueue<(string What, string Ts)>();
        var errors = new ConcurrentQueue<string>();
        var slowest = new ConcurrentQueue<TimeSpan>();
        var pairs = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var connection = new MySqlConnection(drill.ConnectionString());
            await connection.OpenAsync();
            var sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                // A unique timestamp per row: the base, then microseconds apart per client and sequence.
                var ts = $"timestamp'2030-01-01 00:00:00' + interval {client * 1_000_000 + ++sequence} microsecond";
                var clock = Stopwatch.StartNew();
                try
                {
                    await new MySqlCommand($"insert into testdb.insert_test values ('ryw{client}', {ts})", connection).ExecuteNonQueryAsync();
                }
                catch (MySqlException ex)
                {
                    // The insert in flight at the kill: its outcome is unknown, so its read proves nothing. Reconnect if needed.
                    errors.Enqueue($"client {client} insert: {ex.Number} {ex.Message}");
                    if (connection.State != System.Data.ConnectionState.Open)
                    {
                        await connection.DisposeAsync();
                        connection = new MySqlConnection(drill.ConnectionString());
                        await connection.OpenAsync();
                    }
                    continue;
                }
                try
                {
                    var found = Convert.ToInt64(await new MySqlCommand($"select count(*) from testdb.insert_test where ts = {ts}", connection).ExecuteScalarAsync(),
                        System.Globalization.CultureInfo.InvariantCulture);
                    if (found != 1)
                        misses.Enqueue(($"client {client} row {sequence}: found {found}", ts));
                    Interlocked.Increment(ref pairs);
                }
                catch (MySqlException ex)
                {
                    errors.Enqueue($"client {client} select: {ex.Number} {ex.Message}");
                }
                slowest.Enqueue(clock.Elapsed);
            }
            await connection.DisposeAsync();
        })).ToArray();

        await Task.Delay(1500);
        var (_, promotion) = await drill.FailOverToAsync(drill.Topology.GetServer("db002"));
        await Task.Delay(3000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"promotion {promotion.TotalMilliseconds:0} ms; {pairs} pairs read back, {misses.Count} missed, {errors.Count} errors; " +
            $"slowest pair {slowest.Max().TotalMilliseconds:0} ms");
        foreach (var error in errors)
            output.WriteLine(error);
        var counters = drill.Proxy.Host.Backends.ReadYourWrites;
        output.WriteLine("reads for hostgroup 20: caught up " + counters.Get(20, Gtid.ReadYourWritesOutcome.CaughtUp) +
            ", waited " + counters.Get(20, Gtid.ReadYourWritesOutcome.Waited) + ", writer " + counters.Get(20, Gtid.ReadYourWritesOutcome.Writer));
        // With asynchronous replication an insert the old primary acknowledged just before it was killed may never have
        // reached a replica: it is gone from the new topology, and no proxy can read it back. Only a row the new
        // primary has, and the read still missed, is a read-your-writes failure.
        var lostAtTheKill = new List<string>();
        var missedReads = new List<string>();
        await using (var newPrimary = await drill.Topology.Primary.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword))
        {
            foreach (var (what, ts) in misses)
            {
                var there = Convert.ToInt64(await new MySqlCommand($"select count(*) from testdb.insert_test where ts = {ts}", newPrimary).ExecuteScalarAsync(),
                    System.Globalization.CultureInfo.InvariantCulture);
                (there == 1 ? missedReads : lostAtTheKill).Add(what);
            }
        }
        foreach (var lost in lostAtTheKill)
            output.WriteLine($"{lost}: not on the new primary either (acknowledged by the old one, not replicated before the kill)");
        Assert.Empty(missedReads);
        Assert.True(lostAtTheKill.Count <= clients, $"{lostAtTheKill.Count} acknowledged inserts lost at the kill: more than one per client");
        Assert.True(pairs > 50, $"only {pairs} pairs ran");
        Assert.True(slowest.Max() < longestAllowed, $"a pair took {slowest.Max().TotalMilliseconds:0} ms");
    }
}
