using System.Buffers.Binary;
using System.Text.Json;
using ProxyLayer.EventsLog;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Tests.EventsLog;

public sealed class EventFormatTests
{
    private static readonly QueryEvent Sample = new()
    {
        ThreadId = 42,
        Username = "app",
        Schema = "shop",
        Query = "INSERT INTO t VALUES ('é', \"q\")",
        ClientAddress = "10.0.0.5",
        ClientPort = 51000,
        Hostgroup = 10,
        ServerHost = "db1",
        ServerPort = 3306,
        StartUnixMicroseconds = 1_700_000_000_123_456,
        EndUnixMicroseconds = 1_700_000_000_125_000,
        RowsAffected = 1,
        RowsSent = 0,
    };

    private static string Json(in QueryEvent e, ulong digest)
    {
        using var output = new PayloadWriter();
        Utf8JsonWriter? json = null;
        EventJsonFormat.Write(output, ref json, e, digest);
        json?.Dispose();
        return System.Text.Encoding.UTF8.GetString(output.Payload);
    }

    [Fact]
    public void Json_has_proxysqls_fields_in_its_sorted_order_on_one_line()
    {
        var line = Json(Sample, 0x0123456789ABCDEF);

        Assert.EndsWith("}\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line[..^1]);
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal(
            ["client", "digest", "duration_us", "endtime", "endtime_timestamp_us", "event", "hostgroup_id", "query", "rows_affected",
             "rows_sent", "schemaname", "server", "starttime", "starttime_timestamp_us", "thread_id", "username"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("10.0.0.5:51000", root.GetProperty("client").GetString());
        Assert.Equal("0x0123456789ABCDEF", root.GetProperty("digest").GetString());
        Assert.Equal(1544, root.GetProperty("duration_us").GetInt64());
        Assert.Equal("COM_QUERY", root.GetProperty("event").GetString());
        Assert.Equal(10, root.GetProperty("hostgroup_id").GetInt32());
        Assert.Equal(Sample.Query, root.GetProperty("query").GetString());
        Assert.Equal("db1:3306", root.GetProperty("server").GetString());
        Assert.Equal(42, root.GetProperty("thread_id").GetInt32());
        var local = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).ToLocalTime();
        Assert.Equal(local.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + ".123456",
            root.GetProperty("starttime").GetString());
        Assert.Contains("'é'", line, StringComparison.Ordinal); // UTF-8 kept as is, as ProxySQL writes it
    }

    [Fact]
    public void A_cache_answer_has_hostgroup_minus_one_and_no_server()
    {
        using var document = JsonDocument.Parse(Json(Sample with { Hostgroup = null, ServerHost = null, ServerPort = 0 }, 1));

        Assert.Equal(-1, document.RootElement.GetProperty("hostgroup_id").GetInt32());
        Assert.False(document.RootElement.TryGetProperty("server", out _));
    }

    [Fact]
    public void Binary_is_a_length_then_proxysqls_length_encoded_fields()
    {
        using var stream = new MemoryStream();
        using var scratch = new PayloadWriter();
        EventBinaryFormat.Write(stream, scratch, Sample, 0xFEDCBA9876543210);
        EventBinaryFormat.Write(stream, scratch, Sample with { Hostgroup = null, ServerHost = null, Query = "SELECT 1" }, 7);
        var bytes = stream.ToArray();

        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var first = new PayloadReader(bytes.AsSpan(8, length));
        Assert.Equal(EventBinaryFormat.ComQuery, first.ReadByte());
        Assert.Equal(42UL, first.ReadLengthEncodedInteger());
        Assert.Equal("app", first.ReadLengthEncodedString());
        Assert.Equal("shop", first.ReadLengthEncodedString());
        Assert.Equal("10.0.0.5:51000", first.ReadLengthEncodedString());
        Assert.Equal(10UL, first.ReadLengthEncodedInteger());
        Assert.Equal("db1:3306", first.ReadLengthEncodedString());
        Assert.Equal((ulong)Sample.StartUnixMicroseconds, first.ReadLengthEncodedInteger());
        Assert.Equal((ulong)Sample.EndUnixMicroseconds, first.ReadLengthEncodedInteger());
        Assert.Equal(1UL, first.ReadLengthEncodedInteger());
        Assert.Equal(0UL, first.ReadLengthEncodedInteger());
        Assert.Equal(0xFEDCBA9876543210, first.ReadLengthEncodedInteger());
        Assert.Equal(Sample.Query, first.ReadLengthEncodedString());
        Assert.True(first.IsAtEnd);

        var secondLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8 + length));
        Assert.Equal(bytes.Length, 8 + length + 8 + secondLength);
        var second = new PayloadReader(bytes.AsSpan(8 + length + 8, secondLength));
        second.ReadByte();
        second.ReadLengthEncodedInteger();
        second.ReadLengthEncodedString();
        second.ReadLengthEncodedString();
        second.ReadLengthEncodedString();
        Assert.Equal(EventBinaryFormat.NoHostgroup, second.ReadLengthEncodedInteger()); // and no server follows
        second.ReadLengthEncodedInteger();
        second.ReadLengthEncodedInteger();
        second.ReadLengthEncodedInteger();
        second.ReadLengthEncodedInteger();
        Assert.Equal(7UL, second.ReadLengthEncodedInteger());
        Assert.Equal("SELECT 1", second.ReadLengthEncodedString());
    }
}
