using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Galera;

/// <summary>
/// A real 3-node Galera cluster behind a proxy configured as ProxySQL's Galera guide does: hostgroups 10 (writer),
/// 20 (backup writer), 30 (reader), 40 (offline), max_writers=1, writer_is_also_reader=1, reads to 30 by a query rule.
/// Galera checks every 200 ms so that moves show within a second.
/// </summary>
internal sealed class GaleraDrill : IAsyncDisposable
{
    public const int Writer = 10, BackupWriter = 20, Reader = 30, Offline = 40;

    private readonly string _directory;

    private GaleraDrill(GaleraCluster cluster, AdminProxyUnderTest proxy, string directory)
    {
        Cluster = cluster;
        Proxy = proxy;
        _directory = directory;
    }

    public GaleraCluster Cluster { get; }
    public AdminProxyUnderTest Proxy { get; }

    /// <summary>The node ProxySQL's order makes writer: all share 127.0.0.1 and weight 1, so the highest port.</summary>
    public MariaDbServer ExpectedWriter => Cluster.Nodes.MaxBy(n => n.Port)!;

    public static async Task<GaleraDrill> StartAsync(ITestOutputHelper output, int maxTransactionsBehind = 0)
    {
        var cluster = await GaleraCluster.StartAsync();
        var directory = Directory.CreateTempSubdirectory("proxylayer-galera-").FullName;
        try
        {
            var config = Path.Combine(directory, "proxysql.cnf");
            await File.WriteAllTextAsync(config, """
                admin_variables = { admin_credentials="admin:admin;radmin:radmin" }
                mysql_variables = { monitor_username="monitor" monitor_password="monitor" monitor_galera_healthcheck_interval=200
                    monitor_galera_healthcheck_timeout=800 monitor_ping_interval=2000 monitor_ping_timeout=500 connect_timeout_server=1000 }
                """);
            var proxy = await AdminProxyUnderTest.StartAsync(Path.Combine(directory, "data"), config, output);
            var servers = string.Join("\n", cluster.Nodes.Select(n =>
                $"INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES ({Writer}, '127.0.0.1', {n.Port});"));
            var seed = await proxy.AdminAsync($"""
                {servers}
                INSERT INTO mysql_galera_hostgroups (writer_hostgroup, backup_writer_hostgroup, reader_hostgroup, offline_hostgroup, active,
                    max_writers, writer_is_also_reader, max_transactions_behind) VALUES ({Writer}, {BackupWriter}, {Reader}, {Offline}, 1, 1, 1, {maxTransactionsBehind});
                LOAD MYSQL SERVERS TO RUNTIME;
                INSERT INTO mysql_users(username,password,default_hostgroup,transaction_persistent) VALUES ('appuser','apppass',{Writer},0);
                LOAD MYSQL USERS TO RUNTIME;
                INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup,apply) VALUES (1,1,'^SELECT.*FOR UPDATE$',{Writer},1);
                INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (2,1,'^SELECT',{Reader});
                LOAD MYSQL QUERY RULES TO RUNTIME;
                """);
            if (!seed.Succeeded)
                throw new InvalidOperationException("seed admin session failed: " + seed.StandardError);
            return new GaleraDrill(cluster, proxy, directory);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString() => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Proxy.MySqlPort,
        UserID = RigCredentials.AppUser,
        Password = RigCredentials.AppPassword,
        Pooling = false,
        SslMode = MySqlSslMode.None,
        ConnectionTimeout = 30,
        DefaultCommandTimeout = 30,
    }.ConnectionString;

    /// <summary>
    /// Where each node is, as "hostgroup[:STATUS]" joined per node in node order, e.g. "10 30|20 30 10:SHUNNED|…" sorted
    /// within a node, from runtime_mysql_servers.
    /// </summary>
    public async Task<string> PlacementAsync()
    {
        var result = await Proxy.AdminAsync("SELECT hostgroup_id, port, status FROM runtime_mysql_servers ORDER BY port, hostgroup_id;");
        if (!result.Succeeded)
            throw new InvalidOperationException(result.StandardError);
        var rows = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        return string.Join("|", Cluster.Nodes.Select(n => string.Join(" ", rows
            .Where(r => r[1] == n.Port.ToString(CultureInfo.InvariantCulture))
            .Select(r => r[2] == "ONLINE" ? r[0] : $"{r[0]}:{r[2]}"))));
    }

    /// <summary>The placement of <paramref name="node"/> alone, e.g. "10 30" or "40".</summary>
    public async Task<string> PlacementOfAsync(MariaDbServer node)
    {
        var all = (await PlacementAsync()).Split('|');
        return all[Cluster.Nodes.ToList().IndexOf(node)];
    }

    /// <summary>Polls until <paramref name="node"/> is placed as <paramref name="expected"/>; returns how long it took.</summary>
    public async Task<TimeSpan> WaitPlacementAsync(MariaDbServer node, string expected, TimeSpan? limit = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < (limit ?? TimeSpan.FromSeconds(20)))
        {
            last = await PlacementOfAsync(node);
            if (last == expected)
                return clock.Elapsed;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{node.Name} is placed '{last}', not '{expected}' (all: {await PlacementAsync()})");
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
