using System.Text;
using ProxyLayer.Backends;
using ProxyLayer.Gtid;
using ProxyLayer.Protocol;
using ProxyLayer.Protocol.Packets;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Gtid;

/// <summary>
/// MySQL 8 read-your-writes, by bytes only (no MySQL server is available to these tests): the OK packet's
/// SESSION_TRACK_GTIDS record, GTID sets as <c>@@gtid_executed</c> writes them, and telling MySQL from MariaDB.
/// The byte layouts follow the MySQL protocol documentation (page_protocol_basic_ok_packet: session_state_info is a
/// length-encoded string of records, each a type byte and length-encoded data; for SESSION_TRACK_GTIDS, type 3, the
/// data is the encoding specification, 0 for text, then the GTID set as a length-encoded string).
/// </summary>
public sealed class MySqlGtidTests
{
    private const string Uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private const string Other = "4d22fb58-82db-22f2-af44-d91bba53a673";

    private static byte[] LengthEncoded(byte[] data) => [(byte)data.Length, .. data];

    private static byte[] GtidsRecord(string gtids, byte encoding = 0) =>
        [3, .. LengthEncoded([encoding, .. LengthEncoded(Encoding.ASCII.GetBytes(gtids))])];

    private static MySqlGtid Gtid(string uuid, ulong number) => new(Guid.Parse(uuid), number);

    [Fact]
    public void The_own_gtid_is_read_from_an_OK_packet_that_tracks_it()
    {
        // A whole OK packet as MySQL 8 sends it after an INSERT with session_track_gtids=OWN_GTID: header 0x00,
        // affected rows 1, last insert id 0, status AUTOCOMMIT|SESSION_STATE_CHANGED (0x4002), no warnings, an empty
        // info string, then session_state_info.
        byte[] records = GtidsRecord(Uuid.ToUpperInvariant() + ":23");
        byte[] payload = [0x00, 0x01, 0x00, 0x02, 0x40, 0x00, 0x00, 0x00, .. LengthEncoded(records)];
        var ok = OkPacket.Read(payload, CapabilityFlags.Protocol41 | CapabilityFlags.SessionTrack);
        Assert.True(SessionStateChanges.TryFindOwnGtid(ok.SessionStateChanges, out var gtid));
        Assert.Equal(Gtid(Uuid, 23), gtid);
        // MariaDB's reader does not take it for a last_gtid record.
        Assert.False(SessionStateChanges.TryFindLastGtid(ok.SessionStateChanges, out _));
    }

    [Theory]
    [InlineData(Uuid + ":23-25", 25ul)] // one response committed several transactions: the newest
    [InlineData(Uuid + ":7:9-11", 11ul)]
    public void Several_own_gtids_in_one_record_give_the_highest(string text, ulong number)
    {
        Assert.True(SessionStateChanges.TryFindOwnGtid(GtidsRecord(text), out var gtid));
        Assert.Equal(Gtid(Uuid, number), gtid);
    }

    [Fact]
    public void Other_records_are_skipped_and_the_last_gtids_record_wins()
    {
        byte[] records =
        [
            0, .. LengthEncoded([.. LengthEncoded("autocommit"u8.ToArray()), .. LengthEncoded("OFF"u8.ToArray())]), // system variable
            .. GtidsRecord(Uuid + ":5"),
            2, .. LengthEncoded(LengthEncoded("1"u8.ToArray())), // state change
            .. GtidsRecord(Uuid + ":6"),
        ];
        Assert.True(SessionStateChanges.TryFindOwnGtid(records, out var gtid));
        Assert.Equal(6ul, gtid.Number);
    }

    [Theory]
    [InlineData("")] // no GTID yet (a statement that wrote nothing)
    [InlineData(Uuid)]
    [InlineData(Uuid + ":")]
    [InlineData(Uuid + ":0")]
    [InlineData(Uuid + ":5-3")]
    [InlineData(Uuid + ":tag:5")] // tagged GTIDs (8.3+) are not read
    [InlineData(Uuid + ":1," + Other + ":2")] // own GTIDs come from one server: two sources is not an own GTID
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa942956:1")] // short UUID
    [InlineData("not-a-uuid-at-all-not-a-uuid-at-all!:1")]
    public void A_malformed_own_gtid_is_not_taken(string text) =>
        Assert.False(SessionStateChanges.TryFindOwnGtid(GtidsRecord(text), out _));

    [Theory]
    [InlineData(new byte[] { 3 })] // type without data
    [InlineData(new byte[] { 3, 9, 0, 3, (byte)'a' })] // data shorter than its length
    [InlineData(new byte[] { 3, 2, 0, 5 })] // GTID text shorter than its length
    [InlineData(new byte[] { 3, 1, 0xFF })] // invalid length-encoded integer
    public void Malformed_records_are_not_taken_and_do_not_throw(byte[] records) =>
        Assert.False(SessionStateChanges.TryFindOwnGtid(records, out _));

    [Fact]
    public void Another_encoding_specification_is_not_read() =>
        Assert.False(SessionStateChanges.TryFindOwnGtid(GtidsRecord(Uuid + ":1", encoding: 1), out _));

    [Fact]
    public void Reading_an_own_gtid_allocates_nothing()
    {
        byte[] records = GtidsRecord(Uuid + ":23");
        SessionStateChanges.TryFindOwnGtid(records, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            SessionStateChanges.TryFindOwnGtid(records, out _);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Gtid_executed_as_MySQL_prints_it_parses_with_its_gaps()
    {
        // MySQL prints a newline after each comma of @@gtid_executed.
        var set = MySqlGtidSet.TryParse(Uuid.ToUpperInvariant() + ":1-5:7-9,\n" + Other + ":1-3");
        Assert.NotNull(set);
        Assert.Equal(2, set.SourceCount);
        Assert.True(set.Contains(Gtid(Uuid, 1)));
        Assert.True(set.Contains(Gtid(Uuid, 5)));
        Assert.False(set.Contains(Gtid(Uuid, 6))); // a gap: a multi-threaded replica has 7 but not 6
        Assert.True(set.Contains(Gtid(Uuid, 7)));
        Assert.False(set.Contains(Gtid(Uuid, 10)));
        Assert.True(set.Contains(Gtid(Other, 3)));
        Assert.False(set.Contains(Gtid("5e33fc69-93ec-33f3-b055-ea2ccb64b784", 1)));
        Assert.Equal(Uuid + ":1-5:7-9," + Other + ":1-3", set.ToString());
    }

    [Fact]
    public void Session_writes_on_MySQL_are_seen_by_a_replica_whose_gtid_executed_contains_them()
    {
        var writer = new BackendServer("primary", 3306);
        var replica = new BackendServer("replica", 3306);
        var writes = new SessionWrites();
        writes.Record(Gtid(Uuid, 7), hostgroup: 10, writer);
        writes.Record(Gtid(Uuid, 9), hostgroup: 10, writer); // the newest of a source replaces the last
        Assert.Equal(1, writes.SourceCount);
        Assert.Equal(0, writes.DomainCount);
        Assert.Equal(Uuid + ":9", writes.ToWaitPosition());
        Assert.True(writes.IsAppliedBy(writer)); // it made them
        Assert.False(writes.IsAppliedBy(replica)); // never read by the monitor
        Assert.Equal(1ul, writes.Behind(replica));

        replica.OnGtidPositionRead(Uuid + ":1-8,\n" + Other + ":1-4");
        Assert.False(writes.IsAppliedBy(replica));
        Assert.Null(replica.AppliedGtids); // not taken for a MariaDB position
        replica.OnGtidPositionRead(Uuid + ":1-7:9");
        Assert.True(writes.IsAppliedBy(replica)); // 9 is there, with a gap at 8
        Assert.Equal(0ul, writes.Behind(replica));
        Assert.Equal(Uuid + ":1-7:9", replica.AppliedGtidsText);
        Assert.Equal(2, replica.GtidPositionChanges);
        replica.OnGtidPositionRead("garbage");
        Assert.True(writes.IsAppliedBy(replica)); // a reading that does not parse keeps the last good one

        writes.Clear();
        Assert.Equal(0, writes.SourceCount);
    }

    [Theory]
    [InlineData(Uuid + ":0")]
    [InlineData(Uuid + ":3-2")]
    [InlineData(Uuid + ":1-")]
    [InlineData(Uuid + ":a")]
    [InlineData(Uuid + ":tag:1-3")]
    [InlineData(Uuid + "1-3")]
    [InlineData("0-1-42")] // a MariaDB GTID is not a MySQL one
    public void A_malformed_set_is_refused(string text) => Assert.Null(MySqlGtidSet.TryParse(text));

    [Theory]
    [InlineData("10.11.6-MariaDB-0+deb12u1", false)]
    [InlineData("5.5.5-10.11.6-MariaDB-0+deb12u1", false)] // the handshake's form
    [InlineData("11.4.2-MariaDB-log", false)]
    [InlineData("8.0.36", true)]
    [InlineData("8.4.0-commercial", true)]
    [InlineData("8.0.36-28", true)] // Percona Server
    [InlineData("", false)] // unknown: the behaviour before MySQL was supported
    [InlineData(null, false)]
    public void The_flavor_comes_from_the_server_version(string? version, bool isMySql) =>
        Assert.Equal(isMySql ? GtidFlavor.MySql : GtidFlavor.MariaDb, GtidFlavors.Of(version));

    [Fact]
    public void Each_flavor_tracks_reads_and_waits_with_its_own_statements()
    {
        Assert.Equal("SET session_track_gtids = OWN_GTID", GtidFlavors.TrackingStatement(GtidFlavor.MySql));
        Assert.Contains("last_gtid", GtidFlavors.TrackingStatement(GtidFlavor.MariaDb), StringComparison.Ordinal);
        Assert.Equal("SELECT @@global.gtid_executed", GtidFlavors.PositionQuery(GtidFlavor.MySql));
        Assert.Equal("SELECT @@global.gtid_current_pos", GtidFlavors.PositionQuery(GtidFlavor.MariaDb));
        Assert.Equal($"SELECT WAIT_FOR_EXECUTED_GTID_SET('{Uuid}:23', 0.5)", GtidFlavors.WaitQuery(GtidFlavor.MySql, Uuid + ":23", 500));
        Assert.Equal("SELECT MASTER_GTID_WAIT('0-1-42', 1.25)", GtidFlavors.WaitQuery(GtidFlavor.MariaDb, "0-1-42", 1250));
    }
}
