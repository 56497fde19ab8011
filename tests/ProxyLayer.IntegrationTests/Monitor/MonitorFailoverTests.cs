using ProxyLayer.Config;
using ProxyLayer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyLayer.IntegrationTests.Monitor;

/// <summary>The monitor following a real failover; each test owns its topology because it kills the primary.</summary>
[Collection(TimingSensitiveDefinition.Name)]
public sealed class MonitorFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Promoted_replica_joins_the_writer_hostgroup_within_a_read_only_interval()
    {
        await using var topology = await ReplicationTopology.StartAsync(replicas: 2);
        var (db001, db002) = (topology.GetServer("db001"), topology.GetServer("db002"));
        await using var rig = await MonitorRig.StartAsync(topology);
        await MonitorRig.WaitForAsync(() => rig.Monitor.Logs[ProxyLayer.Monitor.CheckKind.ReadOnly].Latest(MonitorRig.Address(db002)) is not null,
            TimeSpan.FromSeconds(10), "first read_only check of db002");

        await topology.KillPrimaryAsync();
        await topology.PromoteAsync(db002);
        var took = await MonitorRig.WaitForAsync(() => rig.StatusIn(MonitorRig.Writer, db002) == ServerStatus.Online,
            TimeSpan.FromSeconds(5), "db002 ONLINE in the writer hostgroup");
        output.WriteLine($"db002 joined the writer hostgroup {took.TotalMilliseconds:F0} ms after read_only=0 (read_only interval 1000 ms)");

        Assert.Equal([MonitorRig.Writer, MonitorRig.Reader], rig.HostgroupsOf(db002));
        // The dead primary is shunned by its failing pings and stays listed, unused, in the writer hostgroup.
        await MonitorRig.WaitForAsync(() => rig.StatusIn(MonitorRig.Writer, db001) == ServerStatus.Shunned,
            TimeSpan.FromSeconds(5), "db001 SHUNNED");
    }

    [Fact]
    public async Task With_statements_waiting_for_a_writer_the_promoted_replica_lands_in_a_fraction_of_the_interval()
    {
        await using var topology = await ReplicationTopology.StartAsync(replicas: 2);
        var db002 = topology.GetServer("db002");
        await using var rig = await MonitorRig.StartAsync(topology, ("mysql-monitor_read_only_interval", "5000"));
        await MonitorRig.WaitForAsync(() => rig.Monitor.Logs[ProxyLayer.Monitor.CheckKind.ReadOnly].Latest(MonitorRig.Address(db002)) is not null,
            TimeSpan.FromSeconds(10), "first read_only check of db002");

        await topology.KillPrimaryAsync();
        // What a client session does while hostgroup 10 has no usable server.
        using var waiting = rig.Demand.BeginWaiting(MonitorRig.Writer);
        await Task.Delay(300);
        await db002.SetReadOnlyAsync(false);
        var took = await MonitorRig.WaitForAsync(() => rig.StatusIn(MonitorRig.Writer, db002) == ServerStatus.Online,
            TimeSpan.FromSeconds(3), "db002 ONLINE in the writer hostgroup");
        output.WriteLine($"db002 joined the writer hostgroup {took.TotalMilliseconds:F0} ms after read_only=0 (read_only interval 5000 ms)");

        Assert.True(took < TimeSpan.FromMilliseconds(1000), $"took {took.TotalMilliseconds:F0} ms");
    }
}
