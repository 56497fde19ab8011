using System.Collections.Immutable;
using ProxyLayer.Config;
using ProxyLayer.Monitor;
using static ProxyLayer.Tests.Monitor.MonitorHarness;

namespace ProxyLayer.Tests.Monitor;

/// <summary>The read_only actions of §6, one case each, on the pure list edit.</summary>
public class ReplicationHostgroupRulesTests
{
    private static readonly ServerAddress Db2 = FakeProbe.Server("db2");

    private static (ImmutableArray<ServerConfig> Servers, List<string> Moves, List<WriterRefusal> Refusals) Apply(
        ImmutableArray<ServerConfig> servers, bool readOnly, bool writerIsAlsoReader = true, Func<ServerAddress, bool>? liveWriter = null)
    {
        var moves = new List<string>();
        var refusals = new List<WriterRefusal>();
        var result = ReplicationHostgroupRules.Apply(servers, [Pair], Db2, readOnly, readOnly ? "read_only=1" : "read_only=0",
            writerIsAlsoReader, liveWriter, moves, refusals);
        return (result, moves, refusals);
    }

    private static string[] Layout(ImmutableArray<ServerConfig> servers) =>
        [.. servers.OrderBy(s => s.HostgroupId).ThenBy(s => s.Hostname).Select(s => $"{s.HostgroupId}:{s.Hostname}:{ServerStatusText.ToText(s.Status)}")];

    [Fact]
    public void Writable_reader_is_added_to_the_writer_hostgroup_and_stays_a_reader()
    {
        var (servers, moves, _) = Apply([Server(Reader, "db2") with { Weight = 7, MaxConnections = 33 }], readOnly: false);

        Assert.Equal(["10:db2:ONLINE", "20:db2:ONLINE"], Layout(servers));
        Assert.Equal(7, servers.Single(s => s.HostgroupId == Writer).Weight);
        Assert.Equal(33, servers.Single(s => s.HostgroupId == Writer).MaxConnections);
        Assert.Equal("read_only=0 → added to writer hostgroup 10, stays in reader hostgroup 20 (replication hostgroups 10/20)", Assert.Single(moves));
    }

    [Fact]
    public void Writable_reader_moves_to_the_writer_hostgroup_when_writer_is_not_also_reader()
    {
        var (servers, moves, _) = Apply([Server(Reader, "db2")], readOnly: false, writerIsAlsoReader: false);

        Assert.Equal(["10:db2:ONLINE"], Layout(servers));
        Assert.Contains("moved from reader hostgroup 20 to writer hostgroup 10", Assert.Single(moves), StringComparison.Ordinal);
    }

    [Fact]
    public void Shunned_reader_entry_becomes_an_online_writer_entry()
    {
        var (servers, _, _) = Apply([Server(Reader, "db2") with { Status = ServerStatus.Shunned }], readOnly: false);

        Assert.Equal(["10:db2:ONLINE", "20:db2:SHUNNED"], Layout(servers));
    }

    [Fact]
    public void Writable_writer_changes_nothing()
    {
        ImmutableArray<ServerConfig> before = [Server(Writer, "db2"), Server(Reader, "db2")];
        var (servers, moves, _) = Apply(before, readOnly: false);

        Assert.Equal(before, servers);
        Assert.Empty(moves);
    }

    [Fact]
    public void Writer_configured_only_in_the_writer_hostgroup_is_never_added_to_the_reader_hostgroup()
    {
        ImmutableArray<ServerConfig> before = [Server(Writer, "db2")];
        var (servers, moves, _) = Apply(before, readOnly: false);

        Assert.Equal(before, servers);
        Assert.Empty(moves);
    }

    [Fact]
    public void Read_only_writer_in_both_hostgroups_leaves_the_writer_hostgroup()
    {
        var (servers, moves, _) = Apply([Server(Writer, "db2"), Server(Reader, "db2")], readOnly: true);

        Assert.Equal(["20:db2:ONLINE"], Layout(servers));
        Assert.Equal("read_only=1 → removed from writer hostgroup 10, stays in reader hostgroup 20 (replication hostgroups 10/20)", Assert.Single(moves));
    }

    [Fact]
    public void Read_only_writer_only_in_the_writer_hostgroup_moves_to_the_reader_hostgroup()
    {
        var (servers, moves, _) = Apply([Server(Writer, "db2") with { Weight = 3 }], readOnly: true);

        Assert.Equal(["20:db2:ONLINE"], Layout(servers));
        Assert.Equal(3, servers.Single().Weight);
        Assert.Contains("moved from writer hostgroup 10 to reader hostgroup 20", Assert.Single(moves), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_only_reader_changes_nothing()
    {
        ImmutableArray<ServerConfig> before = [Server(Reader, "db2"), Server(Writer, "db1")];
        var (servers, moves, _) = Apply(before, readOnly: true);

        Assert.Equal(before, servers);
        Assert.Empty(moves);
    }

    [Fact]
    public void Server_outside_every_pair_is_left_alone()
    {
        ImmutableArray<ServerConfig> before = [Server(30, "db2")];
        var (servers, moves, _) = Apply(before, readOnly: false);

        Assert.Equal(before, servers);
        Assert.Empty(moves);
    }

    [Fact]
    public void Fencing_refuses_a_second_writer_while_the_first_is_live()
    {
        ImmutableArray<ServerConfig> before = [Server(Writer, "db1"), Server(Reader, "db2")];
        var (servers, moves, refusals) = Apply(before, readOnly: false, liveWriter: s => s.Host == "db1");

        Assert.Equal(before, servers);
        Assert.Empty(moves);
        Assert.Equal(new WriterRefusal(Writer, FakeProbe.Server("db1")), Assert.Single(refusals));
    }

    [Fact]
    public void Fencing_lets_a_writer_in_when_the_old_one_is_not_live()
    {
        var (servers, _, refusals) = Apply([Server(Writer, "db1") with { Status = ServerStatus.Shunned }, Server(Reader, "db2")],
            readOnly: false, liveWriter: _ => true);

        Assert.Equal(["10:db1:SHUNNED", "10:db2:ONLINE", "20:db2:ONLINE"], Layout(servers));
        Assert.Empty(refusals);
    }
}
