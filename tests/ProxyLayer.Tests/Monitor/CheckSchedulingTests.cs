using ProxyLayer.Monitor;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

/// <summary>Intervals, timeouts and isolation of the check loops, on virtual time.</summary>
[Collection(VirtualTimeDefinition.Name)]
public class CheckSchedulingTests
{
    [Fact]
    public async Task Checks_run_at_their_configured_intervals()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Writer, "db1"), Server(Reader, "db2", maxReplicationLag: 30)], replicationPair: true,
            ("mysql-monitor_ping_interval", "1000"), ("mysql-monitor_read_only_interval", "500"), ("mysql-monitor_replication_lag_interval", "2000"));
        h.Probe.SetReadOnly("db1", false);
        await h.StartAsync();

        await h.AdvanceAsync(4_010);
        // The checks due at 4000 ms run on the thread pool after the clock got there; on a busy machine that can be
        // later than the harness's settle. Time stands still now, so waiting for them cannot let extra checks in.
        await EventuallyAsync(() => h.Probe.Count(CheckKind.Ping, "db1") >= 5 && h.Probe.Count(CheckKind.ReadOnly, "db2") >= 9
            && h.Probe.Count(CheckKind.ReplicationLag, "db2") >= 3, "the checks due by 4000 ms");

        AssertSpacing(h.Probe.Times(CheckKind.Ping, "db1"), 1000, expectedCount: 5);
        AssertSpacing(h.Probe.Times(CheckKind.ReadOnly, "db2"), 500, expectedCount: 9);
        AssertSpacing(h.Probe.Times(CheckKind.ReplicationLag, "db2"), 2000, expectedCount: 3);
        Assert.Equal(1, h.Probe.Count(CheckKind.Connect, "db1"));
        Assert.Equal(0, h.Probe.Count(CheckKind.ReplicationLag, "db1"));
    }

    [Fact]
    public async Task Read_only_is_checked_only_for_servers_in_a_replication_pair()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(30, "db3")], replicationPair: true);
        await h.StartAsync();

        await h.AdvanceAsync(3_000);

        Assert.True(h.Probe.Count(CheckKind.Ping, "db3") >= 3);
        Assert.Equal(0, h.Probe.Count(CheckKind.ReadOnly, "db3"));
    }

    [Fact]
    public async Task A_hung_server_times_out_and_does_not_stall_the_others()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(30, "db1"), Server(30, "db2")], replicationPair: false);
        h.Probe.Hang("db2");
        await h.StartAsync();

        await h.AdvanceAsync(3_010);

        Assert.Equal(4, h.Probe.Count(CheckKind.Ping, "db1"));
        // Each hung ping ends at its 300 ms timeout and the next starts on schedule.
        Assert.Equal(4, h.Probe.Count(CheckKind.Ping, "db2"));
        var db2 = h.Monitor.Logs[CheckKind.Ping].ToArray().Where(e => e.Server.Host == "db2").ToList();
        Assert.True(db2.Count >= 3);
        Assert.All(db2, e => Assert.StartsWith("timeout", e.Error, StringComparison.Ordinal));
        Assert.All(db2, e => Assert.Equal(0, e.SuccessTimeUs));
        Assert.All(h.Monitor.Logs[CheckKind.Ping].ToArray().Where(e => e.Server.Host == "db1"), e => Assert.Null(e.Error));
    }

    [Fact]
    public async Task A_shorter_interval_loaded_at_runtime_applies_without_waiting_for_the_old_one()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(30, "db1")], replicationPair: false, ("mysql-monitor_ping_interval", "60000"));
        await h.StartAsync();
        await h.AdvanceAsync(1_000);
        Assert.Equal(1, h.Probe.Count(CheckKind.Ping, "db1"));

        h.Load([Server(30, "db1")], replicationPair: false, ("mysql-monitor_ping_interval", "500"));
        await SettleAsync();
        await h.AdvanceAsync(1_010);

        Assert.True(h.Probe.Count(CheckKind.Ping, "db1") >= 3, $"pings: {h.Probe.Count(CheckKind.Ping, "db1")}");
    }

    [Fact]
    public async Task Servers_added_and_removed_at_runtime_start_and_stop_their_checks()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(30, "db1")], replicationPair: false);
        await h.StartAsync();

        h.Load([Server(30, "db2")], replicationPair: false);
        await EventuallyAsync(() => h.Probe.Count(CheckKind.Ping, "db2") > 0, "db2 pinged");
        var db1Pings = h.Probe.Count(CheckKind.Ping, "db1");
        await h.AdvanceAsync(3_000);

        Assert.Equal(db1Pings, h.Probe.Count(CheckKind.Ping, "db1"));
        Assert.Equal([FakeProbe.Server("db2")], h.Monitor.MonitoredServers);
    }

    [Fact]
    public async Task Nothing_is_checked_while_the_monitor_is_disabled()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(30, "db1")], replicationPair: false, ("mysql-monitor_enabled", "false"));
        await h.Monitor.StartAsync();

        await h.AdvanceAsync(3_000);

        Assert.Empty(h.Probe.Calls);
    }

    private static void AssertSpacing(IReadOnlyList<DateTimeOffset> times, int intervalMs, int expectedCount)
    {
        Assert.Equal(expectedCount, times.Count);
        for (var i = 1; i < times.Count; i++)
            Assert.True((times[i] - times[i - 1]).TotalMilliseconds >= intervalMs, $"checks {i - 1} and {i} only {(times[i] - times[i - 1]).TotalMilliseconds} ms apart");
    }
}
