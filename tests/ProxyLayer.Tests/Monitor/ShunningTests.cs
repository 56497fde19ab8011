using ProxyLayer.Config;
using ProxyLayer.Monitor;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

/// <summary>Ping-failure and replication-lag shunning, and recovery that undoes only what the monitor did.</summary>
[Collection(VirtualTimeDefinition.Name)]
public class ShunningTests
{
    [Fact]
    public async Task Max_failures_pings_in_a_row_shun_the_server_everywhere_and_close_its_pool()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2"), Server(30, "db2"), Server(Reader, "db3")], replicationPair: false);
        var generation = h.Registry.Get("db2", 3306).Generation;
        await h.StartAsync();

        h.Probe.FailPing("db2");
        await h.AdvanceAsync(2_010);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);

        await h.AdvanceAsync(1_000);
        // The third failed ping is judged on the thread pool: wait for its verdict rather than assume it already ran.
        await EventuallyAsync(() => h.Entry(Reader, "db2")!.Status == ServerStatus.Shunned, "db2 shunned after its failed pings");
        Assert.Equal(ServerStatus.Shunned, h.Entry(30, "db2")!.Status);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db3")!.Status);
        Assert.True(h.Registry.Get("db2", 3306).Generation > generation, "pooled connections retired");
    }

    [Fact]
    public async Task Shunned_server_comes_back_once_pings_succeed_and_recovery_time_passed()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2")], replicationPair: false, ("mysql-shun_recovery_time_sec", "3"));
        await h.StartAsync();
        h.Probe.FailPing("db2");
        await h.AdvanceAsync(3_010);
        // The third failed ping is judged on the thread pool: wait for its verdict rather than assume it already ran.
        await EventuallyAsync(() => h.Entry(Reader, "db2")!.Status == ServerStatus.Shunned, "db2 shunned after its failed pings");
        var lastFailure = h.Time.GetUtcNow();

        h.Probe.PingOk("db2");
        await h.AdvanceAsync(2_000);
        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);

        await h.AdvanceAsync(2_000);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);
        Assert.True(h.Time.GetUtcNow() - lastFailure >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Access_denied_pings_do_not_shun()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2")], replicationPair: false);
        await h.StartAsync();

        h.Probe.FailPing("db2", ProbeFailureKind.AccessDenied);
        await h.AdvanceAsync(5_000);

        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);
    }

    [Fact]
    public async Task A_server_the_admin_shunned_is_not_revived_by_the_monitor()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2") with { Status = ServerStatus.Shunned }], replicationPair: false);
        await h.StartAsync();

        await h.AdvanceAsync(5_000);

        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);
    }

    [Fact]
    public async Task Lag_over_the_limit_for_lag_count_checks_shuns_until_the_replica_catches_up()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2", maxReplicationLag: 10), Server(Reader, "db3", maxReplicationLag: 10)], replicationPair: false);
        h.Probe.SetLag("db2", LagResult.Replica(25));
        await h.StartAsync();
        // replication_lag_count=2: the first over-limit check alone does not shun.
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);

        await h.AdvanceAsync(1_010);
        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db3")!.Status);

        h.Probe.SetLag("db2", LagResult.Replica(4));
        await h.AdvanceAsync(1_000);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);
        Assert.Equal(4, h.Monitor.Logs[CheckKind.ReplicationLag].Latest(FakeProbe.Server("db2"))!.Value);
    }

    [Fact]
    public async Task Null_lag_counts_as_slave_lag_when_null_and_a_failed_check_changes_nothing()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2", maxReplicationLag: 10)], replicationPair: false, ("mysql-monitor_slave_lag_when_null", "60"));
        h.Probe.SetLag("db2", LagResult.Replica(null));
        await h.StartAsync();
        await h.AdvanceAsync(1_010);
        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);

        h.Probe.SetLag("db2", LagResult.Failed(new ProbeFailure(ProbeFailureKind.Query, "no privilege")));
        await h.AdvanceAsync(2_000);
        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);
        var latest = h.Monitor.Logs[CheckKind.ReplicationLag].Latest(FakeProbe.Server("db2"))!;
        Assert.Null(latest.Value);
        Assert.Equal("no privilege", latest.Error);

        h.Probe.SetLag("db2", LagResult.NotReplica);
        await h.AdvanceAsync(1_000);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);
    }

    [Fact]
    public async Task Lag_shun_and_ping_shun_are_undone_separately()
    {
        await using var h = new MonitorHarness();
        h.Load([Server(Reader, "db2", maxReplicationLag: 10)], replicationPair: false, ("mysql-monitor_replication_lag_count", "1"));
        h.Probe.SetLag("db2", LagResult.Replica(50));
        await h.StartAsync();
        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);

        h.Probe.FailPing("db2");
        await h.AdvanceAsync(3_010);
        h.Probe.PingOk("db2");
        await h.AdvanceAsync(4_000);
        // Pings recovered, but the lag reason stands (lag is not checked while ping-shunned, and is still 50).
        Assert.Equal(ServerStatus.Shunned, h.Entry(Reader, "db2")!.Status);

        h.Probe.SetLag("db2", LagResult.Replica(0));
        await h.AdvanceAsync(1_000);
        Assert.Equal(ServerStatus.Online, h.Entry(Reader, "db2")!.Status);
    }
}
