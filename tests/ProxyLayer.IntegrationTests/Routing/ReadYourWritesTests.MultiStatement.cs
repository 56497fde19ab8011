using System.Diagnostics;
using System.Globalization;
using System.Text;
using MySqlConnector;
using ProxyLayer.Gtid;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// Read-your-writes in <c>autocommit=1</c> sessions of clients that set CLIENT_MULTI_STATEMENTS: the <c>mariadb</c>
/// CLI (which sends each <c>;</c>-terminated statement on its own, or a whole batch as one COM_QUERY under another
/// delimiter) and MySqlConnector sending <c>INSERT …; SELECT …</c> as one command. One replica is held back, the
/// other applies, as in the tests beside.
/// </summary>
public sealed partial class ReadYourWritesTests
{
    /// <summary>
    /// 1000 pairs in one CLI session: 500 sent as separate statements (each read routed by the rule and, with the
    /// feature, to a server that has its insert), then 500 as one "INSERT …; SELECT …" COM_QUERY each (a
    /// multi-statement query runs on one connection, the writer's, and pins the session there: its statements leave
    /// state the proxy does not track). Every row is found; the held-back replica answers none of them.
    /// </summary>
    [Fact]
    public async Task A_mariadb_cli_session_with_multi_statements_finds_every_row_it_inserted()
    {
        const int Separate = 500;
        const int Batched = 500;
        const int FirstId = 40_001;
        var lagging = _topology.Replicas[1];
        var applying = _topology.Replicas[0];
        await HoldBackAsync(lagging);
        await using var proxy = await StartProxyAsync(Config([("mysql-read_your_writes", "true"), ("mysql-read_your_writes_wait_timeout_ms", "5000")]));
        var script = new StringBuilder();
        for (var id = FirstId; id < FirstId + Separate; id++)
            script.Append(CultureInfo.InvariantCulture, $"INSERT INTO testdb.ryw VALUES ({id}, CONNECTION_ID()); SELECT id, @@port FROM testdb.ryw WHERE id = {id};\n");
        script.Append("DELIMITER //\n");
        for (var id = FirstId + Separate; id < FirstId + Separate + Batched; id++)
            script.Append(CultureInfo.InvariantCulture, $"INSERT INTO testdb.ryw VALUES ({id}, CONNECTION_ID()); SELECT id, @@port FROM testdb.ryw WHERE id = {id} //\n");

        var clock = Stopwatch.StartNew();
        // Generous: 2000 statements, half of the reads after a MASTER_GTID_WAIT, on a loaded 2-core machine.
        var result = await MariaDbCli.RunAsync([.. proxy.CliArguments(), "--batch", "--skip-column-names"], script.ToString(), TimeSpan.FromSeconds(120));
        clock.Stop();
        Assert.True(result.Succeeded, result.StandardError);

        var answeredBy = new Dictionary<int, int>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            answeredBy[int.Parse(fields[0], CultureInfo.InvariantCulture)] = int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        var missed = Enumerable.Range(FirstId, Separate + Batched).Count(id => !answeredBy.ContainsKey(id));
        var separatePorts = answeredBy.Where(p => p.Key < FirstId + Separate).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());
        var batchedPorts = answeredBy.Where(p => p.Key >= FirstId + Separate).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());
        var counters = proxy.Host.Backends.ReadYourWrites;
        _output.WriteLine($"mariadb CLI: {Separate + Batched} pairs in {clock.ElapsedMilliseconds} ms, missed {missed}; separate statements answered by " +
            string.Join(", ", separatePorts.Select(p => $"{p.Key}={p.Value}")) + "; batched by " + string.Join(", ", batchedPorts.Select(p => $"{p.Key}={p.Value}")) +
            $"; caught up {counters.Get(Reader, ReadYourWritesOutcome.CaughtUp)}, waited {counters.Get(Reader, ReadYourWritesOutcome.Waited)}, " +
            $"writer {counters.Get(Reader, ReadYourWritesOutcome.Writer)}");
        Assert.Equal(0, missed);
        Assert.False(separatePorts.ContainsKey(lagging.Port) || batchedPorts.ContainsKey(lagging.Port), "the held-back replica answered a read");
        // The separate reads went through read-your-writes, to the applying replica (the writer only if a 5 s wait ran out).
        Assert.Equal(Separate, counters.ConsistentReads);
        Assert.True(separatePorts.GetValueOrDefault(applying.Port) >= Separate * 0.9, $"applying replica answered {separatePorts.GetValueOrDefault(applying.Port)}");
        // Each batch ran where its insert did.
        Assert.Equal(Batched, batchedPorts.GetValueOrDefault(_topology.Primary.Port));
        // Every commit's GTID was taken, the batched ones from the OK of the batch's first statement.
        Assert.Equal(Separate + Batched, counters.GtidsCollected);
    }

    /// <summary>
    /// MySqlConnector (CLIENT_MULTI_STATEMENTS) sending "INSERT …; SELECT …" as one command 1000 times on one
    /// connection: every row found, and the GTID of every batched commit taken.
    /// </summary>
    [Fact]
    public async Task MySqlConnector_batches_of_insert_then_select_find_every_row()
    {
        const int Pairs = 1000;
        const int FirstId = 50_001;
        await HoldBackAsync([.. _topology.Replicas]);
        await using var proxy = await StartProxyAsync(Config([("mysql-read_your_writes", "true"), ("mysql-read_your_writes_wait_timeout_ms", "5000")]));
        await using var connection = await proxy.OpenAsync();
        var missed = 0;
        for (var id = FirstId; id < FirstId + Pairs; id++)
        {
            await using var batch = new MySqlCommand(
                $"INSERT INTO testdb.ryw VALUES ({id}, CONNECTION_ID()); SELECT @@port FROM testdb.ryw WHERE id = {id}", connection);
            if (await batch.ExecuteScalarAsync() is null)
                missed++;
        }
        var counters = proxy.Host.Backends.ReadYourWrites;
        // The session counts a batch's GTID after relaying its answer, so the client can read the counter first.
        await DataPath.Scratch.EventuallyAsync(() => Task.FromResult(counters.GtidsCollected >= Pairs), TimeSpan.FromSeconds(5));
        _output.WriteLine($"MySqlConnector batches: {Pairs}, missed {missed}, GTIDs collected {counters.GtidsCollected}");
        Assert.Equal(0, missed);
        Assert.Equal(Pairs, counters.GtidsCollected);

        // After the batches (the session is pinned to the writer's connection), a plain read still sees the last row.
        await using var select = new MySqlCommand($"SELECT @@port FROM testdb.ryw WHERE id = {FirstId + Pairs - 1}", connection);
        Assert.Equal(_topology.Primary.Port, Convert.ToInt32(await select.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }
}
