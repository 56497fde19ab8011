using System.Collections.Concurrent;
using System.Collections.Immutable;
using MySqlConnector;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Routing;

/// <summary>
/// The seed's routing on a real primary + two GTID replicas: db001 in writer hostgroup 10, all three in reader
/// hostgroup 20, rules <c>^SELECT.*FOR UPDATE$</c> → 10 and <c>^SELECT</c> → 20, user appuser defaulting to 10.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class ReadWriteSplitTests : IClassFixture<TopologyFixture>
{
    private readonly TopologyFixture _topology;
    private readonly ITestOutputHelper _output;

    public ReadWriteSplitTests(TopologyFixture topology, ITestOutputHelper output)
    {
        _topology = topology;
        _output = output;
    }

    private ProxyConfig SeedConfig(bool applyOnForUpdate, IEnumerable<KeyValuePair<string, string>>? variables = null)
    {
        var servers = ImmutableArray.CreateBuilder<ServerConfig>();
        servers.Add(new ServerConfig { HostgroupId = 10, Hostname = "127.0.0.1", Port = _topology.Primary.Port });
        foreach (var server in _topology.Topology.Servers)
            servers.Add(new ServerConfig { HostgroupId = 20, Hostname = "127.0.0.1", Port = server.Port });
        return new ProxyConfig
        {
            Variables = ProxyConfig.Empty.Variables.SetItems(variables ?? []),
            Servers = servers.ToImmutable(),
            Users = [new UserConfig { Username = RigCredentials.AppUser, Password = RigCredentials.AppPassword, DefaultHostgroup = 10, TransactionPersistent = false }],
            QueryRules =
            [
                new QueryRuleConfig { RuleId = 1, Active = true, MatchPattern = "^SELECT.*FOR UPDATE$", DestinationHostgroup = 10, Apply = applyOnForUpdate },
                new QueryRuleConfig { RuleId = 2, Active = true, MatchPattern = "^SELECT", DestinationHostgroup = 20 },
            ],
        };
    }

    [Fact]
    public async Task Reads_rotate_over_all_servers_and_writes_land_on_the_primary()
    {
        await using var proxy = ProxyUnderTest.Start(SeedConfig(applyOnForUpdate: true), _output);
        var answeredBy = new Dictionary<string, int>();
        for (var i = 0; i < 60; i++)
        {
            // A new client connection each time, as the seed's shell loop does.
            await using var connection = await proxy.OpenAsync();
            var host = (string)(await new MySqlCommand("select @@hostname, now()", connection).ExecuteScalarAsync())!;
            answeredBy[host] = answeredBy.GetValueOrDefault(host) + 1;
            await new MySqlCommand("insert into testdb.insert_test select @@hostname, now(6)", connection).ExecuteNonQueryAsync();
        }
        _output.WriteLine(string.Join(", ", answeredBy.Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(["db001", "db002", "db003"], answeredBy.Keys.Order());

        var landed = await _topology.Primary.QueryScalarAsync("select count(*) from testdb.insert_test where hostname <> 'db001'");
        Assert.Equal(0L, Convert.ToInt64(landed, System.Globalization.CultureInfo.InvariantCulture));
        var written = await _topology.Primary.QueryScalarAsync("select count(*) from testdb.insert_test where hostname = 'db001'");
        Assert.True(Convert.ToInt64(written, System.Globalization.CultureInfo.InvariantCulture) >= 60);
    }

    [Theory]
    [InlineData(true, "db001")]
    [InlineData(false, null)]
    public async Task Select_for_update_follows_the_rules_apply_flag(bool applyOnRule1, string? expectedHost)
    {
        await _topology.Primary.ExecuteAsync("insert into testdb.insert_test select @@hostname, now(6)");
        await _topology.Topology.WaitForReplicaSyncAsync();
        await using var proxy = ProxyUnderTest.Start(SeedConfig(applyOnRule1), _output);
        var hosts = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            await using var connection = await proxy.OpenAsync();
            try
            {
                hosts.Add((string)(await new MySqlCommand("SELECT @@hostname FROM testdb.insert_test LIMIT 1 FOR UPDATE", connection).ExecuteScalarAsync() ?? "empty"));
            }
            catch (MySqlException ex)
            {
                hosts.Add("error " + ex.Number);
            }
        }
        _output.WriteLine(string.Join(", ", hosts));
        if (expectedHost is not null)
            Assert.Equal([expectedHost], hosts);
        else // ProxySQL semantics: rule 2 overrides rule 1, so replicas get it (and refuse the lock as read-only, 1290)
            Assert.Contains(hosts, h => h is "db002" or "db003" or "error 1290");
    }

    [Fact]
    public async Task A_transaction_runs_on_one_backend_connection()
    {
        await using var proxy = ProxyUnderTest.Start(SeedConfig(applyOnForUpdate: true), _output);
        await using var connection = await proxy.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = new HashSet<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(Convert.ToInt64(await new MySqlCommand("SELECT @@pseudo_thread_id", connection, transaction).ExecuteScalarAsync(),
                System.Globalization.CultureInfo.InvariantCulture));
            await new MySqlCommand("insert into testdb.insert_test select @@hostname, now(6)", connection, transaction).ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        Assert.Single(ids);
    }

    [Fact]
    public async Task Many_clients_with_their_own_session_settings_share_few_backend_connections()
    {
        const int clients = 500;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("PROXYLAYER_SOAK_SECONDS"), out var s) ? s : 10;
        await using var proxy = ProxyUnderTest.Start(SeedConfig(applyOnForUpdate: true), _output);
        var errors = new ConcurrentQueue<string>();
        var peak = 0;
        var steadyPeak = 0;
        var steadySamples = new List<int>();
        var ready = 0;
        var settledAt = long.MaxValue;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 20));
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var open = proxy.Host.Servers.All.Sum(server => server.OpenConnections);
                peak = Math.Max(peak, open);
                // Steady state: every client connected and set its state, and the pool has had time to drop the burst's leftovers.
                if (Volatile.Read(ref ready) == clients && settledAt == long.MaxValue)
                    settledAt = Environment.TickCount64 + 3000;
                if (Environment.TickCount64 >= settledAt)
                {
                    steadyPeak = Math.Max(steadyPeak, open);
                    steadySamples.Add(open);
                }
                await Task.Delay(50);
            }
        });

        var connectGate = new SemaphoreSlim(25);
        var tasks = Enumerable.Range(0, clients).Select(async index =>
        {
            try
            {
                MySqlConnection connection;
                await connectGate.WaitAsync();
                try
                {
                    connection = await proxy.OpenAsync();
                }
                finally
                {
                    connectGate.Release();
                }
                await using var _ = connection;
                var zone = $"+{index % 12:D2}:{index % 60:D2}";
                var mode = index % 2 == 0 ? "ANSI_QUOTES" : "NO_ZERO_DATE";
                await new MySqlCommand($"SET NAMES utf8mb4", connection).ExecuteNonQueryAsync();
                await new MySqlCommand($"SET sql_mode='{mode}'", connection).ExecuteNonQueryAsync();
                await new MySqlCommand($"SET time_zone='{zone}'", connection).ExecuteNonQueryAsync();
                Interlocked.Increment(ref ready);
                var until = DateTime.UtcNow.AddSeconds(seconds);
                await Task.Delay(Random.Shared.Next(1000));
                while (DateTime.UtcNow < until)
                {
                    await using var reader = await new MySqlCommand("SELECT @@time_zone, @@sql_mode, @@character_set_client", connection).ExecuteReaderAsync();
                    await reader.ReadAsync();
                    if (reader.GetString(0) != zone || reader.GetString(1) != mode || reader.GetString(2) != "utf8mb4")
                        errors.Enqueue($"client {index} saw {reader.GetString(0)} / {reader.GetString(1)} / {reader.GetString(2)}");
                    await reader.DisposeAsync();
                    await Task.Delay(1000);
                }
            }
            catch (Exception ex)
            {
                errors.Enqueue($"client {index}: {ex.Message}");
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        await stop.CancelAsync();
        await sampler;

        steadySamples.Sort();
        var steadyMedian = steadySamples.Count == 0 ? 0 : steadySamples[steadySamples.Count / 2];
        _output.WriteLine($"backend connections for {clients} clients: peak {peak} while they connected and SET their state, {steadyPeak} at most and {steadyMedian} typically in steady state, each running a query a second; errors: {errors.Count}");
        foreach (var error in errors.Take(10))
            _output.WriteLine(error);
        Assert.Empty(errors);
        Assert.Equal(clients, ready);
        // The peak while 500 clients connect and set their state in a burst is logged above (43-49 in our runs);
        // the bounds are for the steady state. Typically (the median sample) 50 connections serve them; a moment's
        // peak depends on how long statements take on the machine (87-214 on a 2-core box at load average 17-50), so
        // it is held only below what sessions pinned to their connections would need: one per client.
        Assert.InRange(steadyMedian, 1, 50);
        Assert.InRange(steadyPeak, 1, clients / 2);
    }
}
