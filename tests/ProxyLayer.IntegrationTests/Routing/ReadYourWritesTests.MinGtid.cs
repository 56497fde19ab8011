using System.Globalization;
using MySqlConnector;
using ProxyLayer.Gtid;
using ProxyLayer.IntegrationTests.Infrastructure;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// Causality across sessions: one session writes and asks the proxy for its GTID (<c>SELECT @@last_gtid</c>), another
/// session, which never wrote, reads with <c>/* min_gtid=…;hostgroup=20 */</c> and sees the row. (The rule
/// <c>^SELECT</c> reads the statement's text, comment included, as ProxySQL's match_pattern does: the annotation names
/// the reader hostgroup itself.)
/// </summary>
public sealed partial class ReadYourWritesTests
{
    [Fact]
    public async Task A_min_gtid_annotation_carries_one_sessions_write_to_another_sessions_read()
    {
        const int Pairs = 200;
        const int FirstId = 60_001;
        var lagging = _topology.Replicas[1];
        var applying = _topology.Replicas[0];
        await HoldBackAsync(lagging);
        await using var proxy = await StartProxyAsync(Config([("mysql-read_your_writes", "true"), ("mysql-read_your_writes_wait_timeout_ms", "5000")]));
        await using var writer = await proxy.OpenAsync();
        await using var reader = await proxy.OpenAsync();

        // Before any write the proxy answers an empty @@last_gtid, as MariaDB does.
        Assert.Equal("", await ScalarAsync(writer, "SELECT @@last_gtid"));

        var missed = 0;
        var answeredBy = new Dictionary<int, int>();
        for (var id = FirstId; id < FirstId + Pairs; id++)
        {
            await using (var insert = new MySqlCommand($"INSERT INTO testdb.ryw VALUES ({id}, CONNECTION_ID())", writer))
                await insert.ExecuteNonQueryAsync();
            var gtid = await ScalarAsync(writer, "SELECT @@last_gtid");
            Assert.True(GtidPosition.TryParse(gtid ?? "") is { DomainCount: > 0 }, $"'{gtid}' is not a GTID");
            var port = await ScalarAsync(reader, $"/* min_gtid={gtid};hostgroup={Reader} */ SELECT @@port FROM testdb.ryw WHERE id = {id}");
            if (port is null)
                missed++;
            else
                answeredBy[int.Parse(port, CultureInfo.InvariantCulture)] = answeredBy.GetValueOrDefault(int.Parse(port, CultureInfo.InvariantCulture)) + 1;
        }
        var counters = proxy.Host.Backends.ReadYourWrites;
        _output.WriteLine($"min_gtid: {Pairs} reads in another session, missed {missed}; answered by " +
            string.Join(", ", answeredBy.Select(p => $"{p.Key}={p.Value}")) + $"; caught up {counters.Get(Reader, ReadYourWritesOutcome.CaughtUp)}, " +
            $"waited {counters.Get(Reader, ReadYourWritesOutcome.Waited)}, writer {counters.Get(Reader, ReadYourWritesOutcome.Writer)}");
        Assert.Equal(0, missed);
        Assert.False(answeredBy.ContainsKey(lagging.Port), "the held-back replica answered an annotated read");
        Assert.True(answeredBy.GetValueOrDefault(applying.Port) >= Pairs * 0.9, $"applying replica answered {answeredBy.GetValueOrDefault(applying.Port)}");
        Assert.Equal(Pairs, counters.ConsistentReads);

        // The GTID the proxy reported is the primary's own last one.
        await using (var direct = await _topology.Primary.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword))
        {
            var binlog = GtidPosition.TryParse(Convert.ToString(await new MySqlCommand("SELECT @@global.gtid_binlog_pos", direct).ExecuteScalarAsync(),
                CultureInfo.InvariantCulture) ?? "");
            var reported = GtidPosition.TryParse(await ScalarAsync(writer, "SELECT @@last_gtid") ?? "");
            Assert.NotNull(binlog);
            Assert.NotNull(reported);
            Assert.Equal(binlog.SequenceOf(0), reported.SequenceOf(0));
        }

        // With both replicas held back, the other session misses the next row without the annotation. With it, the
        // read waits (MASTER_GTID_WAIT) on the replica least behind, which is let go a moment later.
        await HoldBackAsync(applying);
        const int Last = FirstId + Pairs;
        await using (var insert = new MySqlCommand($"INSERT INTO testdb.ryw VALUES ({Last}, CONNECTION_ID())", writer))
            await insert.ExecuteNonQueryAsync();
        var lastGtid = await ScalarAsync(writer, "SELECT @@last_gtid");
        Assert.Null(await ScalarAsync(reader, $"/* hostgroup={Reader} */ SELECT @@port FROM testdb.ryw WHERE id = {Last}"));
        var waitedBefore = counters.Get(Reader, ReadYourWritesOutcome.Waited) + counters.Get(Reader, ReadYourWritesOutcome.Writer);
        var annotated = ScalarAsync(reader, $"/* min_gtid={lastGtid};hostgroup={Reader} */ SELECT @@port FROM testdb.ryw WHERE id = {Last}");
        await Task.Delay(300);
        await applying.ExecuteAsync("START SLAVE SQL_THREAD");
        var answeredLast = await annotated;
        _output.WriteLine($"held back, then let go: answered by {answeredLast}");
        Assert.NotNull(answeredLast);
        Assert.NotEqual(lagging.Port.ToString(CultureInfo.InvariantCulture), answeredLast);
        // It did not find the row already there: it waited (or, past the 5 s bound on a very slow machine, went to the writer).
        Assert.Equal(waitedBefore + 1, counters.Get(Reader, ReadYourWritesOutcome.Waited) + counters.Get(Reader, ReadYourWritesOutcome.Writer));
    }

    private static async Task<string?> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
    }
}
