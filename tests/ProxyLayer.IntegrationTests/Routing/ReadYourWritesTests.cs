using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.Gtid;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// Read-your-writes on a real primary + two asynchronous replicas: writer hostgroup 10 (the primary), reader
/// hostgroup 20 (the two replicas only, so a read that reached the primary can only have been sent to the writer on
/// purpose), rule <c>^SELECT</c> → 20. Replication is held back on purpose with <c>STOP SLAVE SQL_THREAD</c>: the
/// replica still fetches the primary's events but applies none until restarted, so "not yet applied" lasts as long as
/// the test wants, on a loaded machine too.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed partial class ReadYourWritesTests : IClassFixture<TopologyFixture>, IAsyncLifetime
{
    private const int Writer = 10;
    private const int Reader = 20;

    private readonly TopologyFixture _topology;
    private readonly ITestOutputHelper _output;

    public ReadYourWritesTests(TopologyFixture topology, ITestOutputHelper output)
    {
        _topology = topology;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        await _topology.Primary.ExecuteAsync("CREATE TABLE IF NOT EXISTS testdb.ryw (id INT PRIMARY KEY, session INT NOT NULL)");
        await _topology.Primary.ExecuteAsync("TRUNCATE TABLE testdb.ryw");
        await _topology.Topology.WaitForReplicaSyncAsync();
    }

    public async Task DisposeAsync()
    {
        // Whatever a test stopped, the next one (and the fixture's other users) find replication running.
        foreach (var replica in _topology.Replicas)
            await replica.ExecuteAsync("START SLAVE SQL_THREAD");
        await _topology.Topology.WaitForReplicaSyncAsync();
    }

    private ProxyConfig Config(IEnumerable<(string Name, string Value)> variables, string userAttributes = "", int? gtidFromHostgroup = null)
    {
        var servers = ImmutableArray.CreateBuilder<ServerConfig>();
        servers.Add(new ServerConfig { HostgroupId = Writer, Hostname = "127.0.0.1", Port = _topology.Primary.Port });
        foreach (var replica in _topology.Replicas)
            servers.Add(new ServerConfig { HostgroupId = Reader, Hostname = "127.0.0.1", Port = replica.Port });
        return new ProxyConfig
        {
            Variables = ProxyConfig.Empty.Variables.SetItems(variables.Select(v => KeyValuePair.Create(v.Name, v.Value)).Concat(
            [
                KeyValuePair.Create("mysql-monitor_username", RigCredentials.MonitorUser),
                KeyValuePair.Create("mysql-monitor_password", RigCredentials.MonitorPassword),
            ])),
            Servers = servers.ToImmutable(),
            Users =
            [
                new UserConfig
                {
                    Username = RigCredentials.AppUser, Password = RigCredentials.AppPassword, DefaultHostgroup = Writer,
                    TransactionPersistent = false, Attributes = userAttributes,
                },
            ],
            QueryRules = [new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = Reader, GtidFromHostgroup = gtidFromHostgroup, Apply = true }],
        };
    }

    /// <summary>The proxy with its monitor running (it reads the servers' GTID positions).</summary>
    private async Task<ProxyUnderTest> StartProxyAsync(ProxyConfig config)
    {
        var proxy = ProxyUnderTest.Start(config, _output);
        await proxy.Host.StartMonitorAsync();
        return proxy;
    }

    private static async Task HoldBackAsync(params MariaDbServer[] replicas)
    {
        foreach (var replica in replicas)
            await replica.ExecuteAsync("STOP SLAVE SQL_THREAD");
    }

    /// <summary>Insert row <c>id</c>, then read it back on the same connection; returns the port of the server that answered, or null if the row was missing.</summary>
    private static async Task<int?> InsertThenSelectAsync(MySqlConnection connection, int id)
    {
        await using (var insert = new MySqlCommand($"INSERT INTO testdb.ryw VALUES ({id}, CONNECTION_ID())", connection))
            await insert.ExecuteNonQueryAsync();
        await using var select = new MySqlCommand($"SELECT @@port FROM testdb.ryw WHERE id = {id}", connection);
        var port = await select.ExecuteScalarAsync();
        return port is null ? null : Convert.ToInt32(port, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Without_the_feature_a_session_misses_its_own_rows_on_lagging_replicas()
    {
        await HoldBackAsync([.. _topology.Replicas]);
        await using var proxy = await StartProxyAsync(Config([]));
        await using var connection = await proxy.OpenAsync();
        var missed = 0;
        for (var id = 1; id <= 20; id++)
        {
            if (await InsertThenSelectAsync(connection, id) is null)
                missed++;
        }
        _output.WriteLine($"feature off: {missed} of 20 reads missed the row just inserted");
        // Both replicas apply nothing: every read, routed to them by the rule, misses.
        Assert.Equal(20, missed);
        Assert.Equal(0, proxy.Host.Backends.ReadYourWrites.ConsistentReads);
    }

    [Fact]
    public async Task With_the_feature_every_read_finds_its_row_and_reads_with_nothing_to_wait_for_stay_on_the_replicas()
    {
        const int Pairs = 1000;
        var lagging = _topology.Replicas[1];
        var applying = _topology.Replicas[0];
        await HoldBackAsync(lagging);
        // Off globally, on for the user through mysql_users.attributes: the per-user override is what turns it on.
        // A wait may last 5 s: on a loaded 2-core machine a replica can take a while; a read waiting longer goes to the writer.
        await using var proxy = await StartProxyAsync(Config(
            [("mysql-read_your_writes", "false"), ("mysql-read_your_writes_wait_timeout_ms", "5000")],
            userAttributes: """{"read_your_writes": true}"""));
        await using var connection = await proxy.OpenAsync();
        var answeredBy = new Dictionary<int, int>();
        var missed = 0;
        var clock = Stopwatch.StartNew();
        for (var id = 1; id <= Pairs; id++)
        {
            if (await InsertThenSelectAsync(connection, id) is { } port)
                answeredBy[port] = answeredBy.GetValueOrDefault(port) + 1;
            else
                missed++;
        }
        clock.Stop();
        var counters = proxy.Host.Backends.ReadYourWrites;
        var caughtUp = counters.Get(Reader, ReadYourWritesOutcome.CaughtUp);
        var waited = counters.Get(Reader, ReadYourWritesOutcome.Waited);
        var toWriter = counters.Get(Reader, ReadYourWritesOutcome.Writer);
        _output.WriteLine($"{Pairs} insert-then-select pairs in {clock.ElapsedMilliseconds} ms; missed {missed}; answered by " +
            string.Join(", ", answeredBy.Select(p => $"{p.Key}={p.Value}")) + $"; caught up {caughtUp}, waited {waited}, writer {toWriter}");
        Assert.Equal(0, missed);
        Assert.Equal(Pairs, caughtUp + waited + toWriter);
        Assert.Equal(Pairs, counters.GtidsCollected);
        // The held-back replica never has the rows: no read of this session may have gone to it.
        Assert.False(answeredBy.ContainsKey(lagging.Port));
        // The applying replica served them (the writer only if a wait ran out, which a 5 s bound makes rare).
        Assert.True(answeredBy.GetValueOrDefault(applying.Port) >= Pairs * 0.9, $"applying replica answered {answeredBy.GetValueOrDefault(applying.Port)}");

        // A session that never wrote pays nothing and reads from both replicas, the held-back one included.
        await using var reader = await proxy.OpenAsync();
        var readerPorts = new Dictionary<int, int>();
        for (var i = 0; i < 60; i++)
        {
            await using var select = new MySqlCommand("SELECT @@port", reader);
            var port = Convert.ToInt32(await select.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            readerPorts[port] = readerPorts.GetValueOrDefault(port) + 1;
        }
        _output.WriteLine("session that never wrote: " + string.Join(", ", readerPorts.Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(new[] { applying.Port, lagging.Port }.Order(), readerPorts.Keys.Order());
        Assert.Equal(Pairs, counters.Get(Reader, ReadYourWritesOutcome.CaughtUp) + counters.Get(Reader, ReadYourWritesOutcome.Waited)
            + counters.Get(Reader, ReadYourWritesOutcome.Writer)); // its reads were not counted

        // Once the monitor has seen the applying replica take the last write, the writing session's reads go there
        // without any wait: counted as caught up.
        // The primary's own binlog position (asked directly: the monitor's view of the primary may lag) holds the
        // session's last write.
        ulong lastWrite;
        await using (var direct = await _topology.Primary.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword))
        await using (var binlog = new MySqlCommand("SELECT @@global.gtid_binlog_pos", direct))
            lastWrite = GtidPosition.TryParse(Convert.ToString(await binlog.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "")?.SequenceOf(0) ?? 0;
        Assert.True(lastWrite >= Pairs, $"the primary's binlog position {lastWrite} is behind the {Pairs} inserts");
        var seen = await DataPath.Scratch.EventuallyAsync(() => Task.FromResult(
            proxy.Host.Servers.Get("127.0.0.1", applying.Port).AppliedGtids?.SequenceOf(0) >= lastWrite), TimeSpan.FromSeconds(10));
        Assert.True(seen, "the monitor did not see the applying replica reach the primary's position within 10 s");
        var caughtUpBefore = counters.Get(Reader, ReadYourWritesOutcome.CaughtUp);
        for (var i = 0; i < 20; i++)
        {
            await using var select = new MySqlCommand($"SELECT @@port FROM testdb.ryw WHERE id = {Pairs}", connection);
            Assert.Equal(applying.Port, Convert.ToInt32(await select.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
        Assert.Equal(caughtUpBefore + 20, counters.Get(Reader, ReadYourWritesOutcome.CaughtUp));
    }

    [Fact]
    public async Task Prepared_statements_see_their_sessions_writes_too()
    {
        const int Pairs = 200;
        await HoldBackAsync(_topology.Replicas[1]);
        await using var proxy = await StartProxyAsync(Config([("mysql-read_your_writes", "true"), ("mysql-read_your_writes_wait_timeout_ms", "5000")]));
        await using var connection = await proxy.OpenAsync(configure: b => b.IgnorePrepare = false);
        await using var insert = new MySqlCommand("INSERT INTO testdb.ryw VALUES (@id, CONNECTION_ID())", connection);
        insert.Parameters.Add("@id", MySqlDbType.Int32);
        await insert.PrepareAsync();
        await using var select = new MySqlCommand("SELECT @@port FROM testdb.ryw WHERE id = @id", connection);
        select.Parameters.Add("@id", MySqlDbType.Int32);
        await select.PrepareAsync();
        var missed = 0;
        for (var id = 10_001; id <= 10_000 + Pairs; id++)
        {
            insert.Parameters[0].Value = id;
            await insert.ExecuteNonQueryAsync();
            select.Parameters[0].Value = id;
            if (await select.ExecuteScalarAsync() is null)
                missed++;
        }
        var counters = proxy.Host.Backends.ReadYourWrites;
        _output.WriteLine($"prepared: missed {missed}; caught up {counters.Get(Reader, ReadYourWritesOutcome.CaughtUp)}, " +
            $"waited {counters.Get(Reader, ReadYourWritesOutcome.Waited)}, writer {counters.Get(Reader, ReadYourWritesOutcome.Writer)}");
        Assert.Equal(0, missed);
        Assert.Equal(Pairs, counters.ConsistentReads);
    }

    [Theory]
    [InlineData("wait")]
    [InlineData("writer")]
    public async Task With_no_replica_applying_reads_go_to_the_writer_after_the_wait_or_at_once(string fallback)
    {
        const int Pairs = 10;
        await HoldBackAsync([.. _topology.Replicas]);
        await using var proxy = await StartProxyAsync(Config(
            [("mysql-read_your_writes", "true"), ("mysql-read_your_writes_fallback", fallback), ("mysql-read_your_writes_wait_timeout_ms", "100")]));
        await using var connection = await proxy.OpenAsync();
        var clock = Stopwatch.StartNew();
        for (var id = 20_001; id <= 20_000 + Pairs; id++)
            Assert.Equal(_topology.Primary.Port, await InsertThenSelectAsync(connection, id));
        clock.Stop();
        var counters = proxy.Host.Backends.ReadYourWrites;
        _output.WriteLine($"fallback={fallback}: {Pairs} pairs in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(Pairs, counters.Get(Reader, ReadYourWritesOutcome.Writer));
        Assert.Equal(0, counters.Get(Reader, ReadYourWritesOutcome.Waited));
        // "wait" spends the 100 ms bound on a replica first; "writer" does not wait at all. Only the lower bound is
        // timed (a loaded machine makes everything slower, never faster).
        if (fallback == "wait")
            Assert.True(clock.ElapsedMilliseconds >= Pairs * 100, $"{clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_rules_gtid_from_hostgroup_asks_for_the_writes_of_that_hostgroup_with_the_switch_off()
    {
        await HoldBackAsync(_topology.Replicas[1]);
        await using var proxy = await StartProxyAsync(Config([("mysql-read_your_writes_wait_timeout_ms", "5000")], gtidFromHostgroup: Writer));
        await using var connection = await proxy.OpenAsync();
        for (var id = 30_001; id <= 30_050; id++)
        {
            var port = await InsertThenSelectAsync(connection, id);
            Assert.True(port is not null, $"row {id} missing; GTIDs collected {proxy.Host.Backends.ReadYourWrites.GtidsCollected}, " +
                $"consistent reads {proxy.Host.Backends.ReadYourWrites.ConsistentReads}, in use {proxy.Host.Runtime.Snapshot.ReadYourWritesInUse}, " +
                $"rule gtid_from_hostgroup {proxy.Host.Runtime.Snapshot.Config.QueryRules[0].GtidFromHostgroup}");
        }
        Assert.Equal(50, proxy.Host.Backends.ReadYourWrites.ConsistentReads);

        // The monitor has every server's position (stats_mysql_gtid_executed's rows) and the metrics show the counters.
        // Its first reading of each may come a little after the loop on a busy machine: up to 10 s.
        Assert.True(await DataPath.Scratch.EventuallyAsync(() => Task.FromResult(_topology.Topology.Servers.All(server =>
            proxy.Host.Servers.Get("127.0.0.1", server.Port).AppliedGtids is not null)), TimeSpan.FromSeconds(10)), "positions not read within 10 s");
        foreach (var server in _topology.Topology.Servers)
        {
            var position = proxy.Host.Servers.Get("127.0.0.1", server.Port).AppliedGtids;
            _output.WriteLine($"{server.Port}: {position}");
            Assert.NotNull(position);
            Assert.True(position.DomainCount >= 1);
        }
        var metrics = proxy.Host.Metrics.Render(Stats.Prometheus.ExpositionFormat.Text);
        var lines = metrics.Split('\n').Where(l => l.Contains("gtid", StringComparison.Ordinal) || l.Contains("read_your_writes", StringComparison.Ordinal)).ToList();
        _output.WriteLine(string.Join("\n", lines));
        Assert.Contains("proxysql_gtid_consistent_queries_total 50", lines);
        Assert.Contains("proxysql_gtid_session_collected_total 50", lines);
        Assert.Contains(lines, l => l.StartsWith("proxylayer_read_your_writes_reads_total{hostgroup=\"20\",outcome=\"caught_up\"}", StringComparison.Ordinal));
    }
}
