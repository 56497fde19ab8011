using ProxyLayer.Backends;
using ProxyLayer.Gtid;
using ProxyLayer.Protocol.Serialization;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Gtid;

public sealed class GtidParsingTests
{
    [Theory]
    [InlineData("0-1-42", 0u, 1u, 42ul)]
    [InlineData("7-100-18446744073709551615", 7u, 100u, ulong.MaxValue)]
    [InlineData("4294967295-4294967295-1", uint.MaxValue, uint.MaxValue, 1ul)]
    public void A_gtid_parses_into_domain_server_and_sequence(string text, uint domain, uint server, ulong sequence)
    {
        Assert.True(MariaDbGtid.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var gtid));
        Assert.Equal(new MariaDbGtid(domain, server, sequence), gtid);
        Assert.Equal(text, gtid.ToString());
        Assert.True(MariaDbGtid.TryParse(text.AsSpan(), out var fromChars));
        Assert.Equal(gtid, fromChars);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0-1")]
    [InlineData("0-1-")]
    [InlineData("0--1-2")]
    [InlineData("-0-1-2")]
    [InlineData("0-1-2-3")]
    [InlineData("0-1-2,")]
    [InlineData("a-1-2")]
    [InlineData("0-1-2 ")]
    [InlineData("4294967296-1-2")]
    [InlineData("3E8A9C3B-1C2D-11EF-8E1F-0242AC120002:1-5")] // a MySQL GTID set: not this format
    public void Anything_else_is_not_a_gtid(string text)
    {
        Assert.False(MariaDbGtid.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _));
        Assert.False(MariaDbGtid.TryParse(text.AsSpan(), out _));
    }

    [Fact]
    public void A_position_covers_what_its_domains_have_reached()
    {
        var position = GtidPosition.TryParse("0-1-100,5-2-7")!;
        Assert.Equal(2, position.DomainCount);
        Assert.True(position.Covers(0, 100));
        Assert.True(position.Covers(0, 1));
        Assert.False(position.Covers(0, 101));
        Assert.True(position.Covers(5, 7));
        Assert.False(position.Covers(5, 8));
        Assert.False(position.Covers(1, 1)); // a domain the server never saw
        Assert.Equal("0-1-100,5-2-7", position.Text);
    }

    [Fact]
    public void A_position_tolerates_spaces_and_empty_parts_and_keeps_a_repeated_domains_highest()
    {
        var position = GtidPosition.TryParse(" 0-1-5 ,, 0-2-9")!;
        Assert.Equal(9ul, position.SequenceOf(0));
        Assert.Equal(0, GtidPosition.TryParse("")!.DomainCount);
        Assert.Null(GtidPosition.TryParse("0-1-5,junk"));
    }

    [Fact]
    public void Session_writes_keep_the_newest_gtid_per_domain_and_compare_against_a_servers_position()
    {
        var writer = new BackendServer("primary", 3306);
        var replica = new BackendServer("replica", 3306);
        var writes = new SessionWrites();
        writes.Record(new MariaDbGtid(0, 1, 10), hostgroup: 10, writer);
        writes.Record(new MariaDbGtid(0, 1, 12), hostgroup: 10, writer);
        writes.Record(new MariaDbGtid(3, 1, 4), hostgroup: 10, writer);
        writes.Record(new MariaDbGtid(4, 1, 1), hostgroup: 10, writer); // grows past the first two slots
        Assert.Equal(3, writes.DomainCount);
        Assert.Equal("0-1-12,3-1-4,4-1-1", writes.ToWaitPosition());

        Assert.True(writes.IsAppliedBy(writer)); // it made them
        Assert.False(writes.IsAppliedBy(replica)); // never read by the monitor
        replica.OnGtidPositionRead("0-1-12,3-1-4");
        Assert.False(writes.IsAppliedBy(replica)); // domain 4 missing
        replica.OnGtidPositionRead("0-1-12,3-1-4,4-1-1");
        Assert.True(writes.IsAppliedBy(replica));
        Assert.Equal(2, replica.GtidPositionChanges);
        replica.OnGtidPositionRead("0-1-12,3-1-4,4-1-1");
        Assert.Equal(2, replica.GtidPositionChanges); // same text: nothing new
        replica.OnGtidPositionRead("garbage");
        Assert.True(writes.IsAppliedBy(replica)); // a reading that does not parse keeps the last good one
    }

    [Fact]
    public void The_last_gtid_record_is_found_among_other_session_state_records()
    {
        using var records = new PayloadWriter();
        Record(records, 0, w => w.WriteLengthEncodedString("autocommit").WriteLengthEncodedString("ON"));
        Record(records, 1, w => w.WriteLengthEncodedString("shop"));
        Record(records, 0, w => w.WriteLengthEncodedString("last_gtid").WriteLengthEncodedString("0-1-77"));
        var bytes = records.Payload.ToArray();
        Assert.True(SessionStateChanges.TryFindLastGtid(bytes, out var gtid));
        Assert.Equal(new MariaDbGtid(0, 1, 77), gtid);
        Assert.Equal("shop", SessionStateChanges.FindSchema(bytes));
    }

    [Fact]
    public void No_gtid_in_an_empty_value_other_variables_or_truncated_records()
    {
        using var records = new PayloadWriter();
        Record(records, 0, w => w.WriteLengthEncodedString("last_gtid").WriteLengthEncodedString(""));
        Record(records, 0, w => w.WriteLengthEncodedString("last_gtidx").WriteLengthEncodedString("0-1-2"));
        var bytes = records.Payload.ToArray();
        Assert.False(SessionStateChanges.TryFindLastGtid(bytes, out _));
        Assert.False(SessionStateChanges.TryFindLastGtid(bytes.AsSpan(0, bytes.Length - 3), out _));
        Assert.False(SessionStateChanges.TryFindLastGtid([0, 0xFC], out _));
    }

    private static void Record(PayloadWriter records, byte type, Action<PayloadWriter> data)
    {
        using var inner = new PayloadWriter();
        data(inner);
        records.WriteByte(type).WriteLengthEncodedBytes(inner.Payload);
    }

    [Fact]
    public void A_min_gtid_read_requires_the_higher_sequence_per_domain_of_the_session_and_the_annotation()
    {
        var own = new SessionWrites();
        var writer = new BackendServer("10.0.0.1", 3306);
        own.Record(new MariaDbGtid(0, 1, 50), hostgroup: 10, writer);
        own.Record(new MariaDbGtid(2, 1, 9), hostgroup: 10, writer);

        var required = SessionWrites.Requiring(own, "0-1-40, 1-3-5", fallbackHostgroup: 99);

        Assert.NotNull(required);
        Assert.Equal("0-1-50,2-1-9,1-3-5", required.ToWaitPosition());
        Assert.Equal(10, required.Hostgroup);
        // The server that made the session's writes need not have the annotation's: only positions count.
        Assert.False(required.IsAppliedBy(writer));
        writer.OnGtidPositionRead("0-1-50,1-3-5,2-1-9");
        Assert.True(required.IsAppliedBy(writer));

        var alone = SessionWrites.Requiring(null, "0-1-7", fallbackHostgroup: 99);
        Assert.NotNull(alone);
        Assert.Equal(99, alone.Hostgroup);
        Assert.Null(SessionWrites.Requiring(null, "0-1", fallbackHostgroup: 99));
    }

    [Theory]
    [InlineData("SELECT @@last_gtid", "@@last_gtid")]
    [InlineData("  select   @@session.LAST_GTID ; ", "@@session.LAST_GTID")]
    public void Select_last_gtid_is_recognised(string sql, string column)
    {
        Assert.True(LastGtidQuery.TryParse(sql, out var parsed));
        Assert.Equal(column, parsed);
    }

    [Theory]
    [InlineData("SELECT @@last_gtid, 1")]
    [InlineData("SELECT @@global.last_gtid")]
    [InlineData("SELECT @@gtid_current_pos")]
    [InlineData("SELECT 1")]
    public void Other_selects_are_not_answered_as_last_gtid(string sql) => Assert.False(LastGtidQuery.TryParse(sql, out _));
}
