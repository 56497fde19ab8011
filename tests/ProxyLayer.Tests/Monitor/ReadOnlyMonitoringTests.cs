using ProxyLayer.Config;
using ProxyLayer.Monitor;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

/// <summary>read_only checks moving servers between writer and reader hostgroups through the running monitor.</summary>
[Collection(VirtualTimeDefinition.Name)]
public class ReadOnlyMonitoringTests
{
    [Theory]
    [InlineData(true, new[] { Writer, Reader })]
    [InlineData(false, new[] { Writer })]
    public async Task Promoted_reader_joins_the_writer_hostgroup_at_the_next_check(bool writerIsAlsoReader, int[] expected)
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2")], replicationPair: true, ("mysql-monitor_writer_is_also_reader", writerIsAlsoReader ? "true" : "false"));
        await h.StartAsync();
        Assert.Equal([Reader], h.HostgroupsOf("db2"));

        h.Probe.SetReadOnly("db2", false);
        await h.AdvanceAsync(1_010);

        await EventuallyAsync(() => h.HostgroupsOf("db2").SequenceEqual(expected), "the check after read_only=0 moved db2");
        Assert.Equal(expected, h.HostgroupsOf("db2"));
    }

    [Fact]
    public async Task Demoted_writer_leaves_the_writer_hostgroup()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1")], replicationPair: true);
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();
        Assert.Equal([Writer], h.HostgroupsOf("db1"));

        h.Probe.SetReadOnly("db1", true);
        await h.AdvanceAsync(1_010);

        Assert.Equal([Reader], h.HostgroupsOf("db1"));
    }

    [Fact]
    public async Task Read_only_timeouts_max_timeout_count_in_a_row_count_as_read_only()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db1")], replicationPair: true, ("mysql-monitor_ping_max_failures", "100"));
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        h.Probe.Hang("db1");
        await h.AdvanceAsync(1_700);
        Assert.Equal([Writer, Reader], h.HostgroupsOf("db1"));

        // Failed checks of a writer are repeated quickly, so three timeouts take well under three intervals.
        await h.AdvanceAsync(1_000);
        Assert.Equal([Reader], h.HostgroupsOf("db1"));
        var log = h.Monitor.Logs[CheckKind.ReadOnly].Latest(FakeProbe.Server("db1"))!;
        Assert.Null(log.Value);
        Assert.StartsWith("timeout", log.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_errors_do_not_count_as_read_only()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1")], replicationPair: true, ("mysql-monitor_ping_max_failures", "100"));
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        h.Probe.FailReadOnly("db1", ProbeFailureKind.Connection);
        await h.AdvanceAsync(5_000);

        Assert.Equal([Writer], h.HostgroupsOf("db1"));
    }

    [Fact]
    public async Task Failed_writer_checks_are_repeated_quickly()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db2")], replicationPair: true);
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        h.Probe.FailPing("db1");
        h.Probe.FailReadOnly("db1", ProbeFailureKind.Connection);
        await h.AdvanceAsync(1_500);

        // From the failure at 1000 ms: rechecks every 100 ms rather than every 1000 ms.
        Assert.True(h.Probe.Count(CheckKind.Ping, "db1") >= 4, $"pings: {h.Probe.Count(CheckKind.Ping, "db1")}");
        Assert.Equal(ServerStatus.Shunned, h.Entry(Writer, "db1")!.Status);
        Assert.True(h.Probe.Count(CheckKind.Ping, "db2") <= 2);
    }
}
