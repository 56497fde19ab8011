using System.Globalization;
using ProxyLayer.IntegrationTests.DataPath;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Metrics;

/// <summary>
/// <c>stats_history.mysql_connections</c> and <c>system_memory</c> on a proxy sampling every second: rows appear on
/// their own, carry the traffic the proxy served and the process's memory, and stop when the interval is set to 0.
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

    private async Task<AdminProxyUnderTest> StartAsync()
    {
        var datadir = Path.Combine(_directory, "data");
        Directory.CreateDirectory(datadir);
        var config = Path.Combine(_directory, "proxysql.cnf");
        await File.WriteAllTextAsync(config, $$"""
            datadir="{{datadir}}"
            admin_variables = { admin_credentials="admin:admin;radmin:radmin" stats_mysql_connections=1 stats_system_memory=1 }
            mysql_servers = ( { address="127.0.0.1", port={{_backend.Port}}, hostgroup=10 } )
            mysql_users = ( { username="{{RigCredentials.AppUser}}", password="{{RigCredentials.AppPassword}}", default_hostgroup=10 } )
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
