using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyLayer.Backends;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Monitor;

namespace ProxyLayer.IntegrationTests.Monitor;

/// <summary>
/// A runtime configured for a rig topology (primary in writer hostgroup 10, everyone in reader hostgroup 20) and a
/// monitor probing the real servers on real time. No proxy: the tests watch the runtime server list.
/// </summary>
internal sealed class MonitorRig : IAsyncDisposable
{
    public const int Writer = 10;
    public const int Reader = 20;

    private readonly MySqlServerProbe _probe = new();

    private MonitorRig(ReplicationTopology topology, params (string Name, string Value)[] variables)
    {
        Runtime = new RuntimeConfigManager(Registry, NullLogger<RuntimeConfigManager>.Instance);
        var servers = topology.Servers.Select(s => new ServerConfig { HostgroupId = Reader, Hostname = s.Host, Port = s.Port, MaxReplicationLag = 60 })
            .Prepend(new ServerConfig { HostgroupId = Writer, Hostname = topology.Primary.Host, Port = topology.Primary.Port });
        var defaults = new Dictionary<string, string>
        {
            ["mysql-monitor_username"] = RigCredentials.MonitorUser,
            ["mysql-monitor_password"] = RigCredentials.MonitorPassword,
            ["mysql-monitor_connect_interval"] = "2000",
            ["mysql-monitor_ping_interval"] = "500",
            ["mysql-monitor_ping_timeout"] = "300",
            ["mysql-monitor_read_only_interval"] = "1000",
            ["mysql-monitor_read_only_timeout"] = "300",
            ["mysql-monitor_replication_lag_interval"] = "1000",
            ["mysql-shun_recovery_time_sec"] = "1",
        };
        foreach (var (name, value) in variables)
            defaults[name] = value;
        var result = Runtime.Apply(ProxyConfig.Empty with
        {
            Servers = [.. servers],
            ReplicationHostgroups = [new ReplicationHostgroupConfig { WriterHostgroup = Writer, ReaderHostgroup = Reader }],
            Variables = ProxyConfig.Empty.Variables.AddRange(defaults),
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Monitor = new MonitorService(Runtime, Registry, Demand, _probe, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public BackendServerRegistry Registry { get; } = new();
    public RuntimeConfigManager Runtime { get; }
    public HostgroupDemand Demand { get; } = new();
    public MonitorService Monitor { get; }

    public static async Task<MonitorRig> StartAsync(ReplicationTopology topology, params (string Name, string Value)[] variables)
    {
        var rig = new MonitorRig(topology, variables);
        await rig.Monitor.StartAsync();
        return rig;
    }

    public static ServerAddress Address(MariaDbServer server) => new(server.Host, server.Port);

    public ServerStatus? StatusIn(int hostgroup, MariaDbServer server) =>
        Runtime.Snapshot.Config.Servers.FirstOrDefault(s => s.HostgroupId == hostgroup && Address(server).Matches(s))?.Status;

    public int[] HostgroupsOf(MariaDbServer server) =>
        [.. Runtime.Snapshot.Config.Servers.Where(s => Address(server).Matches(s)).Select(s => s.HostgroupId).Order()];

    /// <summary>Polls <paramref name="condition"/> every 5 ms; returns how long it took, or fails after <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan> WaitForAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
                Assert.Fail($"not within {limit.TotalMilliseconds} ms: {what}");
            await Task.Delay(5);
        }
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await Monitor.DisposeAsync();
        await _probe.DisposeAsync();
    }
}
