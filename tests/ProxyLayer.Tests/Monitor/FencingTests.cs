using ProxyLayer.Config;
using ProxyLayer.Monitor;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

/// <summary>Two servers with read_only=0 for one writer hostgroup: the current writer stays, the second is kept out.</summary>
[Collection(VirtualTimeDefinition.Name)]
public class FencingTests
{
    [Fact]
    public async Task Second_writable_server_is_not_added_while_the_writer_is_live()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db1"), Server(Reader, "db2")], replicationPair: true);
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        h.Probe.SetReadOnly("db2", false);
        await h.AdvanceAsync(2_010);

        Assert.Equal([Reader], h.HostgroupsOf("db2"));
        Assert.Equal([Writer, Reader], h.HostgroupsOf("db1"));
        // The checks run on the thread pool: wait for the second one's verdict rather than assume it already ran.
        await EventuallyAsync(() => h.Monitor.Fencing.Count >= 2, "one fencing event per read_only check");
        var fencing = h.Monitor.Fencing.Recent[^1];
        Assert.Equal((Writer, "db1", "db2"), (fencing.WriterHostgroup, fencing.Writer.Host, fencing.Refused.Host));
    }

    [Fact]
    public async Task Without_fencing_both_become_writers_as_in_proxysql()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db2")], replicationPair: true, ("mysql-monitor_writer_fencing", "false"));
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        h.Probe.SetReadOnly("db2", false);
        await h.AdvanceAsync(1_010);

        Assert.Equal([Writer, Reader], h.HostgroupsOf("db2"));
        Assert.Equal(0, h.Monitor.Fencing.Count);
    }

    [Fact]
    public async Task Old_primary_returning_writable_stays_fenced_until_it_turns_read_only()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db1"), Server(Reader, "db2")], replicationPair: true);
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        // db1 dies: shunned by pings; db2 is promoted and joins the writer hostgroup.
        h.Probe.FailPing("db1");
        h.Probe.FailReadOnly("db1", ProbeFailureKind.Connection);
        await h.AdvanceAsync(1_500);
        Assert.Equal(ServerStatus.Shunned, h.Entry(Writer, "db1")!.Status);
        h.Probe.SetReadOnly("db2", false);
        await h.AdvanceAsync(1_000);
        Assert.Equal(ServerStatus.Online, h.Entry(Writer, "db2")!.Status);

        // db1 comes back still read_only=0: its pings recover, but it stays SHUNNED in the writer hostgroup.
        h.Probe.PingOk("db1");
        h.Probe.SetReadOnly("db1", false);
        await h.AdvanceAsync(5_000);
        Assert.Equal(ServerStatus.Shunned, h.Entry(Writer, "db1")!.Status);
        Assert.Equal(ServerStatus.Online, h.Entry(Writer, "db2")!.Status);
        Assert.True(h.Monitor.Fencing.Count >= 1);
        Assert.All(h.Monitor.Fencing.Recent, e => Assert.Equal("db1", e.Refused.Host));

        // The orchestrator makes it a replica: it leaves the writer hostgroup and serves reads again.
        h.Probe.SetReadOnly("db1", true);
        await h.AdvanceAsync(1_000);
        Assert.Null(h.Entry(Writer, "db1"));
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db1")!.Status);
    }

    [Fact]
    public async Task Two_writers_loaded_online_are_reported_but_left_alone()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Writer, "db2")], replicationPair: true);
        h.Probe.SetReadOnly("db1", false);
        h.Probe.SetReadOnly("db2", false);
        await h.StartAsync();

        await h.AdvanceAsync(1_010);

        Assert.Equal(ServerStatus.Online, h.Entry(Writer, "db1")!.Status);
        Assert.Equal(ServerStatus.Online, h.Entry(Writer, "db2")!.Status);
        Assert.True(h.Monitor.Fencing.Count >= 2);
    }
}
