using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Failover;

/// <summary>
/// The seed's drill on a real topology: the proxy configured through its admin interface with the seed's
/// statements, then the primary killed and a replica promoted while clients keep working.
/// </summary>
internal sealed class FailoverDrill : IAsyncDisposable
{
    private readonly string _directory;

    private FailoverDrill(ReplicationTopology topology, AdminProxyUnderTest proxy, string directory)
    {
        Topology = topology;
        Proxy = proxy;
        _directory = directory;
    }

    public ReplicationTopology Topology { get; }
    public AdminProxyUnderTest Proxy { get; }

    public static async Task<FailoverDrill> StartAsync(ITestOutputHelper output)
    {
        var topology = await ReplicationTopology.StartAsync(replicas: 2);
        var directory = Directory.CreateTempSubdirectory("proxylayer-failover-").FullName;
        try
        {
            var config = Path.Combine(directory, "proxysql.cnf");
            await File.WriteAllTextAsync(config, """
                admin_variables = { admin_credentials="admin:admin;radmin:radmin" }
                mysql_variables = { monitor_username="monitor" monitor_password="monitor" monitor_read_only_interval=1500
                    monitor_read_only_timeout=500 monitor_ping_interval=2000 monitor_ping_timeout=500 connect_timeout_server=1000
                    shun_recovery_time_sec=2 }
                """);
            var proxy = await AdminProxyUnderTest.StartAsync(Path.Combine(directory, "data"), config, output);
            var ports = topology.Servers.Select(s => s.Port).ToArray();
            var seed = await proxy.AdminAsync($"""
                INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (10, '127.0.0.1', {ports[0]});
                INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, '127.0.0.1', {ports[0]});
                INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, '127.0.0.1', {ports[1]});
                INSERT INTO mysql_servers(hostgroup_id, hostname, port) VALUES (20, '127.0.0.1', {ports[2]});
                INSERT INTO mysql_replication_hostgroups VALUES (10,20,'read_only','');
                LOAD MYSQL SERVERS TO RUNTIME;
                INSERT INTO mysql_users(username,password,default_hostgroup,transaction_persistent) VALUES ('appuser','apppass',10,0);
                LOAD MYSQL USERS TO RUNTIME;
                INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (1,1,'^SELECT.*FOR UPDATE$',10);
                INSERT INTO mysql_query_rules(rule_id,active,match_pattern,destination_hostgroup) VALUES (2,1,'^SELECT',20);
                LOAD MYSQL QUERY RULES TO RUNTIME;
                """);
            if (!seed.Succeeded)
                throw new InvalidOperationException("seed admin session failed: " + seed.StandardError);
            return new FailoverDrill(topology, proxy, directory);
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(bool pooling = false) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Proxy.MySqlPort,
        UserID = RigCredentials.AppUser,
        Password = RigCredentials.AppPassword,
        Pooling = pooling,
        SslMode = MySqlSslMode.None,
        ConnectionTimeout = 30,
        DefaultCommandTimeout = 30,
    }.ConnectionString;

    /// <summary>
    /// Kills the primary and promotes <paramref name="newPrimary"/> as an orchestrator would. Returns when the primary
    /// was dead (the kill had returned) and how long the whole failover took from the kill.
    /// </summary>
    public async Task<(DateTime KilledAt, TimeSpan Promotion)> FailOverToAsync(MariaDbServer newPrimary)
    {
        var clock = Stopwatch.StartNew();
        await Topology.KillPrimaryAsync();
        var killedAt = DateTime.UtcNow;
        await Topology.PromoteAsync(newPrimary);
        await Task.WhenAll(Topology.Replicas.Select(replica => Topology.RepointAsync(replica, newPrimary)));
        return (killedAt, clock.Elapsed);
    }

    /// <summary>Whether a read through the proxy is answered by <paramref name="name"/> within 60 tries.</summary>
    public async Task<bool> ServesReadsFromAsync(string name)
    {
        for (var i = 0; i < 60; i++)
        {
            await using var connection = new MySqlConnection(ConnectionString());
            await connection.OpenAsync();
            if ((string?)await new MySqlCommand("select @@hostname", connection).ExecuteScalarAsync() == name)
                return true;
            await Task.Delay(250);
        }
        return false;
    }

    public static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>The timestamps of the rows on <paramref name="server"/>, to check acknowledged inserts one by one.</summary>
    public static async Task<HashSet<string>> RowsAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenConnectionAsync(RigCredentials.AppUser, RigCredentials.AppPassword);
        await using var reader = await new MySqlCommand("select date_format(ts, '%Y-%m-%d %H:%i:%s.%f') from testdb.insert_test", connection).ExecuteReaderAsync();
        var rows = new HashSet<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Topology.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>What one client attempt did, for the drill's verdict.</summary>
internal sealed record Attempt(DateTime Started, TimeSpan Duration, string? Error, string? Value);

internal static class AttemptLog
{
    public static string Describe(ConcurrentQueue<Attempt> attempts) =>
        $"{attempts.Count} attempts, {attempts.Count(a => a.Error is not null)} failed, longest {attempts.Max(a => a.Duration).TotalMilliseconds:0} ms";
}
