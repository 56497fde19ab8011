using ProxyLayer.Admin;
using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using ProxyLayer.Monitor;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Monitor;

/// <summary>Checks against a shared topology; every test leaves the servers running and roles unchanged.</summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class MonitorChecksTests(TopologyFixture fixture, ITestOutputHelper output) : IClassFixture<TopologyFixture>
{
    private readonly ReplicationTopology _topology = fixture.Topology;

    [Fact]
    public async Task Monitor_logs_fill_with_real_results_and_show_in_the_monitor_schema()
    {
        await using var rig = await MonitorRig.StartAsync(_topology);
        var replica = _topology.Replicas[0];
        // The logged checks (ProxySQL's four): Galera checks apply only to nodes of mysql_galera_hostgroups (tests in
        // Galera/), GTID position reads run only while read-your-writes is in use, unlogged.
        CheckKind[] kinds = [CheckKind.Connect, CheckKind.Ping, CheckKind.ReadOnly, CheckKind.ReplicationLag];
        await MonitorRig.WaitForAsync(() => kinds.All(k => rig.Monitor.Logs[k].Latest(MonitorRig.Address(replica)) is not null),
            TimeSpan.FromSeconds(10), "every check of a replica logged");

        var primary = MonitorRig.Address(_topology.Primary);
        Assert.Equal(0, rig.Monitor.Logs[CheckKind.ReadOnly].Latest(primary)!.Value);
        Assert.Equal(1, rig.Monitor.Logs[CheckKind.ReadOnly].Latest(MonitorRig.Address(replica))!.Value);
        Assert.Equal(0, rig.Monitor.Logs[CheckKind.ReplicationLag].Latest(MonitorRig.Address(replica))!.Value);
        Assert.Null(rig.Monitor.Logs[CheckKind.ReplicationLag].Latest(primary)!.Value);
        Assert.All(kinds, k => Assert.Null(rig.Monitor.Logs[k].Latest(MonitorRig.Address(replica))!.Error));
        Assert.Equal([MonitorRig.Writer, MonitorRig.Reader], rig.HostgroupsOf(_topology.Primary));
        // Successful pings feed the server's latency, which balancing compares with max_latency_ms.
        Assert.InRange(rig.Registry.Get(replica.Host, replica.Port).PingLatencyUs, 1, 1_000_000);

        using var store = AdminStore.OpenInMemory();
        var executor = new AdminStatementExecutor(store, rig.Runtime, new MonitorTableRefresher(rig.Monitor.Logs));
        var rows = Assert.IsType<AdminResult.Rows>(executor.Execute(
            "SELECT hostname, port, ping_success_time_us, ping_error FROM monitor.mysql_server_ping_log", new AdminSessionContext("admin", 1)));
        Assert.Contains(rows.Values, r => r[1] == replica.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) && r[3] is null && long.Parse(r[2]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Suspended_replica_is_shunned_within_its_ping_budget_and_returns_after_resume()
    {
        await using var rig = await MonitorRig.StartAsync(_topology);
        var (frozen, other) = (_topology.Replicas[^1], _topology.Replicas[0]);
        await MonitorRig.WaitForAsync(() => rig.Monitor.Logs[CheckKind.Ping].Latest(MonitorRig.Address(frozen)) is { Error: null },
            TimeSpan.FromSeconds(10), "a first good ping");

        frozen.Suspend();
        TimeSpan shunnedAfter;
        int otherPingsWhileFrozen;
        try
        {
            var otherPingsBefore = rig.Monitor.Logs[CheckKind.Ping].ToArray().Count(e => e.Server == MonitorRig.Address(other));
            // 3 failed pings 500 ms apart, each given up after 300 ms, plus the wait for the first one.
            shunnedAfter = await MonitorRig.WaitForAsync(() => rig.StatusIn(MonitorRig.Reader, frozen) == ServerStatus.Shunned,
                TimeSpan.FromMilliseconds(500 * 3 + 300 + 1500), "the frozen replica SHUNNED");
            otherPingsWhileFrozen = rig.Monitor.Logs[CheckKind.Ping].ToArray().Count(e => e.Server == MonitorRig.Address(other)) - otherPingsBefore;
        }
        finally
        {
            frozen.Resume();
        }
        output.WriteLine($"shunned {shunnedAfter.TotalMilliseconds:F0} ms after SIGSTOP; the other replica had {otherPingsWhileFrozen} pings meanwhile");
        foreach (var ping in rig.Monitor.Logs[CheckKind.Ping].ToArray().Where(e => e.Server == MonitorRig.Address(frozen)).TakeLast(6))
            output.WriteLine($"  ping {ping.TimeStartUs / 1000 % 100_000} ms: {ping.Error ?? "ok"}");
        Assert.True(otherPingsWhileFrozen >= 2, "the other replica kept being checked");
        Assert.Equal(ServerStatus.Online, rig.StatusIn(MonitorRig.Reader, other));
        Assert.StartsWith("timeout", rig.Monitor.Logs[CheckKind.Ping].ToArray().Last(e => e.Server == MonitorRig.Address(frozen) && e.Error is not null).Error,
            StringComparison.Ordinal);

        var back = await MonitorRig.WaitForAsync(() => rig.StatusIn(MonitorRig.Reader, frozen) == ServerStatus.Online,
            TimeSpan.FromSeconds(5), "the resumed replica ONLINE again");
        output.WriteLine($"ONLINE again {back.TotalMilliseconds:F0} ms after SIGCONT (shun_recovery_time_sec=1)");
    }
}
