using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>
/// <c>stats_history</c> on a proxy sampling every second: rows appear on their own, carry the traffic the proxy
/// served, the pool's counters, the process's CPU and memory, and stop when the interval is set to 0; digests move
/// there on <c>SAVE MYSQL DIGEST TO DISK</c>.
/// </summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class StatsHistoryTests : IClassFixture<MariaDbFixture>, IDisposable
{
    private readonly MariaDbServer _backend;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("proxylayer-history-").FullName;

    public StatsHistoryTests(MariaDbFixture fixture, ITestOutputHelper output)
    {
        _backend = fixture.Server;
        _output = output;
    }

    public void Dispose() => RigDirectory.TryDelete(_directory);

    [Fact]
    public async Task Samples_appear_every_interval_with_the_proxys_traffic_and_memory_and_stop_at_zero()
    {
        await using var proxy = await StartAsync();
        var tables = await AdminLinesAsync(proxy, "SHOW TABLES FROM stats_history;");
        Assert.Superset(new HashSet<string> { "mysql_connections", "mysql_connections_hour", "system_memory", "system_memory_hour" }, tables.ToHashSet());

        var served = await proxy.MySqlAsync("SELECT 1; SELECT 2; SELECT 3;");
        Assert.True(served.Succeeded, served.StandardError);
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Three samples after the traffic: with a 1 s interval that is ~3 s; 20 s covers a loaded 2-core machine.
        string[] connections = [];
        var sampled = await Scratch.EventuallyAsync(async () =>
        {
            connections = [.. await AdminLinesAsync(proxy, $"SELECT timestamp, Questions, Client_Connections_created, Client_Connections_connected, " +
                $"Server_Connections_created FROM stats_history.mysql_connections WHERE timestamp > {startedAt} ORDER BY timestamp;")];
            return connections.Length >= 3;
        }, TimeSpan.FromSeconds(20));
        Assert.True(sampled, $"mysql_connections rows after the traffic: {connections.Length}");
        foreach (var row in connections)
            _output.WriteLine("mysql_connections: " + row);
        var last = Numbers(connections[^1]);
        Assert.InRange(last[0], startedAt, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(last[1] >= 3, "the three SELECTs are among the Questions");
        Assert.True(last[2] >= 1, "the client's connection was created");
        Assert.Equal(0, last[3]);
        Assert.True(last[4] >= 1, "a backend connection was opened for the SELECTs");
        var stamps = connections.Select(r => Numbers(r)[0]).ToList();
        Assert.Equal(stamps.Count, stamps.Distinct().Count());

        var memory = await AdminLinesAsync(proxy, "SELECT timestamp, allocated, resident, active, mapped, metadata, retained " +
            "FROM stats_history.system_memory ORDER BY timestamp;");
        Assert.True(memory.Count >= 2, $"system_memory rows: {memory.Count}");
        var sample = Numbers(memory[^1]);
        _output.WriteLine("system_memory: " + memory[^1]);
        Assert.InRange(sample[1], 1L << 20, 1L << 34);                     // managed heap: MBs, not nothing, not absurd
        Assert.InRange(sample[2], 10L << 20, 1L << 36);                    // resident set of a .NET process: over 10 MB
        Assert.True(sample[4] >= sample[2], "the virtual size covers the resident set");
        Assert.True(sample[5] > 0, "SQLite's allocator holds the admin store");

        var stopped = await proxy.AdminAsync("SET admin-stats_mysql_connections=0; LOAD ADMIN VARIABLES TO RUNTIME;");
        Assert.True(stopped.Succeeded, stopped.StandardError);
        // The sampler reads the interval at its next tick (≤ 1 s): count after 1.5 s, then again 2.5 s later.
        await Task.Delay(1500);
        var before = await CountAsync(proxy, "mysql_connections");
        await Task.Delay(2500);
        Assert.Equal(before, await CountAsync(proxy, "mysql_connections"));
        Assert.True(await CountAsync(proxy, "system_memory") > memory.Count, "system_memory goes on");
    }

    [Fact]
    public async Task The_other_tables_fill_from_the_pool_cpu_cache_and_status_and_digests_move_there_on_save()
    {
        await using var proxy = await StartAsync("stats_mysql_connections=1 stats_system_cpu=1 stats_mysql_query_cache=1 stats_system_memory=0",
            """mysql_query_rules = ( { rule_id=1, active=1, match_digest="^SELECT \\?$", cache_ttl=60000, apply=1 } )""");
        var tables = await AdminLinesAsync(proxy, "SHOW TABLES FROM stats_history;");
        Assert.Equal(19, tables.Count);

        // Each statement takes a pooled connection and gives it back; SELECT 42 twice goes through the query cache.
        var served = await proxy.MySqlAsync("SELECT 42; SELECT 42; SELECT 'x' FROM DUAL; SELECT 'y' FROM DUAL;");
        Assert.True(served.Succeeded, served.StandardError);
        // A client that leaves inside a transaction: the pool closes that connection rather than keep it.
        var leftOpen = await proxy.MySqlAsync("BEGIN; SELECT COUNT(*) FROM information_schema.TABLES WHERE 1 = 0;");
        Assert.True(leftOpen.Succeeded, leftOpen.StandardError);
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Two samples after the traffic take ~2 s at a 1 s interval; 20 s covers a loaded 2-core machine.
        string[] pool = [];
        var sampled = await Scratch.EventuallyAsync(async () =>
        {
            pool = [.. await AdminLinesAsync(proxy, "SELECT MyHGM_myconnpoll_get, MyHGM_myconnpoll_get_ok, MyHGM_myconnpoll_push, " +
                $"MyHGM_myconnpoll_destroy FROM stats_history.myhgm_connections WHERE timestamp > {startedAt} ORDER BY timestamp;")];
            return pool.Length >= 2;
        }, TimeSpan.FromSeconds(20));
        Assert.True(sampled, $"myhgm_connections rows after the traffic: {pool.Length}");
        _output.WriteLine("myhgm_connections: " + pool[^1]);
        var counters = Numbers(pool[^1]);
        Assert.True(counters[0] >= 2, "the two statements the cache did not answer asked the pool");
        Assert.True(counters[1] >= 2 && counters[1] <= counters[0], "every get that succeeded is counted once");
        Assert.True(counters[2] >= 3, "the connections came back");
        Assert.True(counters[3] >= 1, "the connection left inside a transaction was destroyed");

        var cache = Numbers((await AdminLinesAsync(proxy, "SELECT count_GET, count_GET_OK, count_SET, Entries_In_Cache " +
            "FROM stats_history.mysql_query_cache ORDER BY timestamp DESC LIMIT 1;")).Single());
        _output.WriteLine("mysql_query_cache: " + string.Join(' ', cache));
        Assert.Equal([2, 1, 1, 1], cache);

        var cpu = (await AdminLinesAsync(proxy, "SELECT tms_utime, tms_stime FROM stats_history.system_cpu ORDER BY timestamp;")).Select(Numbers).ToList();
        Assert.True(cpu.Count >= 2, $"system_cpu rows: {cpu.Count}");
        Assert.True(cpu[^1][0] + cpu[^1][1] > 0 && cpu[^1][0] >= cpu[0][0] && cpu[^1][1] >= cpu[0][1], "CPU ticks, growing");

        var questions = await AdminLinesAsync(proxy, "SELECT v.variable_value FROM stats_history.history_mysql_status_variables v " +
            "JOIN stats_history.history_mysql_status_variables_lookup l USING (variable_id) " +
            $"WHERE l.variable_name = 'Questions' AND v.timestamp > {startedAt} ORDER BY v.timestamp DESC LIMIT 1;");
        Assert.True(long.Parse(questions.Single(), CultureInfo.InvariantCulture) >= 6, "the statements are among the Questions");
        var poolRow = await AdminLinesAsync(proxy, "SELECT hostgroup, srv_port, status, Queries FROM stats_history.history_stats_mysql_connection_pool " +
            $"WHERE timestamp > {startedAt} ORDER BY timestamp DESC LIMIT 1;");
        Assert.Equal($"10\t{_backend.Port}\tONLINE", string.Join('\t', poolRow.Single().Split('\t')[..3]));

        // SAVE MYSQL DIGEST TO DISK: the OK counts the rows moved, the history holds them, the digest table starts again.
        int moved;
        await using (var admin = new MySqlConnection($"Server=127.0.0.1;Port={proxy.AdminPort};User ID=radmin;Password=radmin;Pooling=false"))
        {
            await admin.OpenAsync();
            await using var save = new MySqlCommand("SAVE MYSQL DIGEST TO DISK", admin);
            moved = await save.ExecuteNonQueryAsync();
        }
        var digests = await AdminLinesAsync(proxy, "SELECT hostgroup, username, digest_text, count_star FROM stats_history.history_mysql_query_digest ORDER BY digest_text;");
        foreach (var row in digests)
            _output.WriteLine("history_mysql_query_digest: " + row);
        Assert.Equal(moved, digests.Count);
        Assert.Contains($"10\t{RigCredentials.AppUser}\tSELECT ? FROM DUAL\t2", digests);
        Assert.Empty(await AdminLinesAsync(proxy, "SELECT * FROM stats_mysql_query_digest;"));
    }

    private async Task<AdminProxyUnderTest> StartAsync(string admin = "stats_mysql_connections=1 stats_system_memory=1", string more = "")
    {
        var datadir = Path.Combine(_directory, "data");
        Directory.CreateDirectory(datadir);
        var config = Path.Combine(_directory, "proxysql.cnf");
        await File.WriteAllTextAsync(config, $$"""
            datadir="{{datadir}}"
            admin_variables = { admin_credentials="admin:admin;radmin:radmin" {{admin}} }
            mysql_servers = ( { address="127.0.0.1", port={{_backend.Port}}, hostgroup=10 } )
            mysql_users = ( { username="{{RigCredentials.AppUser}}", password="{{RigCredentials.AppPassword}}", default_hostgroup=10 } )
            {{more}}
            """);
        return await AdminProxyUnderTest.StartAsync(datadir, config, _output, initial: true, monitor: false);
    }

    private static async Task<long> CountAsync(AdminProxyUnderTest proxy, string table) =>
        long.Parse((await AdminLinesAsync(proxy, $"SELECT COUNT(*) FROM stats_history.{table};")).Single(), CultureInfo.InvariantCulture);

    private static async Task<List<string>> AdminLinesAsync(AdminProxyUnderTest proxy, string sql)
    {
        var result = await proxy.AdminAsync(sql);
        Assert.True(result.Succeeded, result.StandardError);
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private static long[] Numbers(string row) => [.. row.Split('\t').Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
}
