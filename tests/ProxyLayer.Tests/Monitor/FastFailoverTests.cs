using ProxyLayer.Config;
using ProxyLayer.Monitor;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

/// <summary>While statements wait for a writer, read_only is checked every 100 ms instead of every interval.</summary>
[Collection(VirtualTimeDefinition.Name)]
public class FastFailoverTests
{
    [Fact]
    public async Task Starved_writer_hostgroup_gets_its_promoted_replica_within_200ms()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1") with { Status = ServerStatus.Shunned }, Server(Reader, "db2"), Server(Reader, "db3")],
            replicationPair: true, ("mysql-monitor_read_only_interval", "10000"));
        await h.StartAsync();

        using var waiting = h.Demand.BeginWaiting(Writer);
        await SettleAsync();
        await h.AdvanceAsync(300, stepMs: 10);
        Assert.Equal([Reader], h.HostgroupsOf("db2"));

        h.Probe.SetReadOnly("db2", false);
        await h.AdvanceAsync(200, stepMs: 10);

        Assert.Equal([Writer, Reader], h.HostgroupsOf("db2"));
        Assert.Equal([Reader], h.HostgroupsOf("db3"));
    }

    [Fact]
    public async Task Without_waiting_statements_read_only_keeps_its_interval()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2")], replicationPair: true, ("mysql-monitor_read_only_interval", "10000"));
        await h.StartAsync();

        h.Probe.SetReadOnly("db2", false);
        await h.AdvanceAsync(2_000, stepMs: 50);

        Assert.Equal([Reader], h.HostgroupsOf("db2"));
        Assert.Equal(1, h.Probe.Count(CheckKind.ReadOnly, "db2"));
    }

    [Fact]
    public async Task Fast_checks_stop_when_the_waiting_ends()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2")], replicationPair: true, ("mysql-monitor_read_only_interval", "10000"));
        await h.StartAsync();

        using (h.Demand.BeginWaiting(Writer))
        {
            await SettleAsync();
            await h.AdvanceAsync(500, stepMs: 10);
        }
        var during = h.Probe.Count(CheckKind.ReadOnly, "db2");
        await h.AdvanceAsync(2_000, stepMs: 50);

        Assert.True(during >= 4, $"checks while starved: {during}");
        Assert.True(h.Probe.Count(CheckKind.ReadOnly, "db2") <= during + 1);
    }
}
