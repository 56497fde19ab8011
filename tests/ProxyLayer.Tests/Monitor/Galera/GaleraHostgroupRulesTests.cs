using System.Collections.Immutable;
using ProxyLayer.Config;
using ProxyLayer.Monitor;
using ProxyLayer.Monitor.Galera;

namespace ProxyLayer.Tests.Monitor.Galera;

/// <summary>ProxySQL's Galera placement (MySQL_HostGroups_Manager.cpp) on the pure list edit, one behaviour per test.</summary>
public class GaleraHostgroupRulesTests
{
    private const int W = 10, B = 20, R = 30, O = 40;
    private static readonly ServerAddress A = new("a", 3306), Bn = new("b", 3306), C = new("c", 3306);
    private static readonly GaleraVerdict Writer = new(GaleraAction.Writer, "writable"), ReadOnly = new(GaleraAction.ReadOnly, "read_only=YES");
    private static readonly GaleraVerdict Offline = new(GaleraAction.Offline, "down");

    private static GaleraHostgroupConfig Cluster(int maxWriters = 1, int writerIsAlsoReader = 1, int maxTransactionsBehind = 0) => new()
    {
        WriterHostgroup = W, BackupWriterHostgroup = B, ReaderHostgroup = R, OfflineHostgroup = O,
        MaxWriters = maxWriters, WriterIsAlsoReader = writerIsAlsoReader, MaxTransactionsBehind = maxTransactionsBehind,
    };

    private static ServerConfig Row(int hostgroup, ServerAddress node, ServerStatus status = ServerStatus.Online, int weight = 1) =>
        new() { HostgroupId = hostgroup, Hostname = node.Host, Port = node.Port, Status = status, Weight = weight };

    private static string Layout(ImmutableArray<ServerConfig> servers) => string.Join(" ", servers
        .OrderBy(s => s.HostgroupId).ThenBy(s => s.Hostname, StringComparer.Ordinal)
        .Select(s => $"{s.HostgroupId}:{s.Hostname}{(s.Status == ServerStatus.Online ? "" : ":" + ServerStatusText.ToText(s.Status))}"));

    /// <summary>Every node checked once, writable, as after LOAD MYSQL SERVERS TO RUNTIME with all nodes in the writer hostgroup.</summary>
    private static ImmutableArray<ServerConfig> CheckAll(ImmutableArray<ServerConfig> servers, GaleraHostgroupConfig cluster, params ServerAddress[] order)
    {
        var first = true;
        foreach (var node in order)
        {
            servers = GaleraHostgroupRules.Apply(servers, cluster, node, Writer, needConverge: first, []);
            first = false;
        }
        return servers;
    }

    [Fact]
    public void Max_writers_keeps_the_node_first_in_proxysql_order_and_the_others_become_backup_writers_and_readers()
    {
        // ORDER BY weight DESC, hostname DESC, port DESC: c before b before a at equal weight, whatever the check order.
        ImmutableArray<ServerConfig> servers = [Row(W, A), Row(W, Bn), Row(W, C)];
        var placed = CheckAll(servers, Cluster(), A, Bn, C);
        Assert.Equal("10:a:SHUNNED 10:b:SHUNNED 10:c 20:a 20:b 30:a 30:b 30:c", Layout(placed));
        Assert.Equal(Layout(placed), Layout(CheckAll(servers, Cluster(), C, A, Bn)));
    }

    [Fact]
    public void Weight_decides_before_the_hostname()
    {
        ImmutableArray<ServerConfig> servers = [Row(W, A, weight: 100), Row(W, Bn), Row(W, C)];
        var placed = CheckAll(servers, Cluster(), A, Bn, C);
        Assert.Contains("10:a ", Layout(placed) + " ");
        Assert.Contains("10:c:SHUNNED", Layout(placed));
    }

    [Fact]
    public void A_placed_writer_is_left_alone()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(), A, Bn, C);
        var again = GaleraHostgroupRules.Apply(placed, Cluster(), C, Writer, needConverge: false, []);
        Assert.True(again == placed, "no change expected");
    }

    [Fact]
    public void Writer_going_offline_hands_over_to_the_first_backup_writer()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(), A, Bn, C);
        var after = GaleraHostgroupRules.Apply(placed, Cluster(), C, Offline, false, []);
        Assert.Equal("10:a:SHUNNED 10:b 20:a 30:a 30:b 40:c", Layout(after));
    }

    [Fact]
    public void Read_only_node_becomes_only_a_reader()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(), A, Bn, C);
        var after = GaleraHostgroupRules.Apply(placed, Cluster(), A, ReadOnly, false, []);
        Assert.Equal("10:b:SHUNNED 10:c 20:b 30:a 30:b 30:c", Layout(after));
    }

    [Fact]
    public void Offline_node_comes_back_as_backup_writer_and_reader()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(), A, Bn, C);
        var down = GaleraHostgroupRules.Apply(placed, Cluster(), A, Offline, false, []);
        Assert.Equal("10:b:SHUNNED 10:c 20:b 30:b 30:c 40:a", Layout(down));
        var back = GaleraHostgroupRules.Apply(down, Cluster(), A, Writer, false, []);
        Assert.Equal("10:a:SHUNNED 10:b:SHUNNED 10:c 20:a 20:b 30:a 30:b 30:c", Layout(back));
    }

    [Fact]
    public void A_node_already_offline_changes_nothing_while_there_is_a_writer()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(), A, Bn, C);
        var down = GaleraHostgroupRules.Apply(placed, Cluster(), A, Offline, false, []);
        Assert.True(GaleraHostgroupRules.Apply(down, Cluster(), A, Offline, false, []) == down);
    }

    [Fact]
    public void Writer_is_also_reader_0_keeps_writers_out_of_the_reader_hostgroup()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(writerIsAlsoReader: 0), A, Bn, C);
        Assert.Equal("10:a:SHUNNED 10:b:SHUNNED 10:c 20:a 20:b", Layout(placed));
    }

    [Fact]
    public void Writer_is_also_reader_2_reads_from_the_backup_writers_only()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(writerIsAlsoReader: 2), A, Bn, C);
        Assert.Equal("10:a:SHUNNED 10:b:SHUNNED 10:c 20:a 20:b 30:a 30:b", Layout(placed));
    }

    [Fact]
    public void Max_writers_2_keeps_two_writers()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(maxWriters: 2), A, Bn, C);
        Assert.Equal("10:a:SHUNNED 10:b 10:c 20:a 30:a 30:b 30:c", Layout(placed));
    }

    [Fact]
    public void Pxc_maint_mode_shuns_in_place_and_copies_to_offline()
    {
        var placed = CheckAll([Row(W, A), Row(W, Bn), Row(W, C)], Cluster(), A, Bn, C);
        var after = GaleraHostgroupRules.Apply(placed, Cluster(), Bn, new GaleraVerdict(GaleraAction.OfflineSoft, "pxc_maint_mode=YES"), false, []);
        Assert.Equal("10:a:SHUNNED 10:b:SHUNNED 10:c 20:a 30:a 30:b:SHUNNED 30:c 40:b", Layout(after));
    }

    [Fact]
    public void With_no_writer_and_no_backup_writer_a_node_the_checks_call_writable_is_made_writer()
    {
        // Only readers configured: an offline verdict on one of them finds the writer hostgroup empty and converges.
        ImmutableArray<ServerConfig> servers = [Row(R, A), Row(R, Bn)];
        var after = GaleraHostgroupRules.Apply(servers, Cluster(), A, Offline, false, [Bn]);
        Assert.Equal("10:b 30:b 40:a", Layout(after));
    }

    [Fact]
    public void Servers_outside_the_cluster_are_never_touched()
    {
        ImmutableArray<ServerConfig> servers = [Row(W, A), Row(W, Bn), Row(99, A)];
        var placed = CheckAll(servers, Cluster(), A, Bn);
        Assert.Contains(placed, s => s.HostgroupId == 99 && s.Hostname == "a" && s.Status == ServerStatus.Online);
    }
}

/// <summary>ProxySQL's reading of one check, in its order of precedence.</summary>
public class GaleraVerdictTests
{
    private static readonly GaleraNodeStatus Healthy = new(4, ReadOnly: false, 0, Desync: false, RejectQueries: false,
        SstDonorRejectsQueries: true, PrimaryPartition: true, PxcMaintMode: false);

    private static GaleraAction Judge(GaleraNodeStatus status, int maxTransactionsBehind = 0) =>
        GaleraVerdict.Judge(GaleraCheckResult.Of(status), 0, 3, maxTransactionsBehind).Action;

    [Fact]
    public void Each_wsrep_value_decides_as_in_proxysql()
    {
        Assert.Equal(GaleraAction.Writer, Judge(Healthy));
        Assert.Equal(GaleraAction.Offline, Judge(Healthy with { PrimaryPartition = false }));
        Assert.Equal(GaleraAction.Offline, Judge(Healthy with { Desync = true }));
        Assert.Equal(GaleraAction.Offline, Judge(Healthy with { LocalState = 2 }));
        Assert.Equal(GaleraAction.Writer, Judge(Healthy with { LocalState = 2, SstDonorRejectsQueries = false }));
        Assert.Equal(GaleraAction.Offline, Judge(Healthy with { RejectQueries = true }));
        Assert.Equal(GaleraAction.OfflineSoft, Judge(Healthy with { PxcMaintMode = true }));
        Assert.Equal(GaleraAction.ReadOnly, Judge(Healthy with { ReadOnly = true, LocalRecvQueue = 5 }, maxTransactionsBehind: 5));
        Assert.Equal(GaleraAction.Offline, Judge(Healthy with { ReadOnly = true, LocalRecvQueue = 6 }, maxTransactionsBehind: 5));
        // The queue only matters for read_only nodes, as in ProxySQL.
        Assert.Equal(GaleraAction.Writer, Judge(Healthy with { LocalRecvQueue = 600 }, maxTransactionsBehind: 5));
    }

    [Fact]
    public void A_refused_connection_is_offline_at_once_and_timeouts_only_when_max_timeout_count_are_in_a_row()
    {
        var refused = GaleraCheckResult.Failed(new ProbeFailure(ProbeFailureKind.Connection, "refused"));
        var timedOut = GaleraCheckResult.Failed(ProbeFailure.TimedOut(TimeSpan.FromMilliseconds(800)));
        Assert.Equal(GaleraAction.Offline, GaleraVerdict.Judge(refused, 0, 3, 0).Action);
        Assert.Equal(GaleraAction.None, GaleraVerdict.Judge(timedOut, 2, 3, 0).Action);
        Assert.Equal(GaleraAction.Offline, GaleraVerdict.Judge(timedOut, 3, 3, 0).Action);
    }

    [Fact]
    public void Status_values_are_read_as_proxysql_reads_them()
    {
        var s = GaleraStatusQuery.Parse(["4", "0", "12", "0", "NONE", "0", "Primary", "DISABLED"]);
        Assert.Equal(new GaleraNodeStatus(4, false, 12, false, false, false, true, false), s);
        var nulls = GaleraStatusQuery.Parse([null, null, null, null, null, null, null, null]);
        Assert.Equal(new GaleraNodeStatus(0, true, 0, true, true, true, false, false), nulls);
    }
}
