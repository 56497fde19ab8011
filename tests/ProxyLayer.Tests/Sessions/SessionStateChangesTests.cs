using System.Text;
using ProxyLayer.Sessions;

namespace ProxyLayer.Tests.Sessions;

public sealed class SessionStateChangesTests
{
    private static byte[] LengthEncoded(byte[] data) => [(byte)data.Length, .. data];

    private static byte[] LengthEncoded(string text) => LengthEncoded(Encoding.UTF8.GetBytes(text));

    /// <summary>One session_state_info record: type, then its data as a length-encoded string.</summary>
    private static byte[] Record(byte type, byte[] data) => [type, .. LengthEncoded(data)];

    private static byte[] SchemaRecord(string schema) => Record(1, LengthEncoded(schema));

    private static byte[] SystemVariableRecord(string name, string value) => Record(0, [.. LengthEncoded(name), .. LengthEncoded(value)]);

    [Fact]
    public void FindSchema_SchemaRecord() => Assert.Equal("shop", SessionStateChanges.FindSchema(SchemaRecord("shop")));

    [Fact]
    public void FindSchema_Empty_IsNull() => Assert.Null(SessionStateChanges.FindSchema([]));

    [Fact]
    public void FindSchema_OtherRecordsSkipped()
    {
        byte[] records =
        [
            .. SystemVariableRecord("autocommit", "OFF"),
            .. Record(2, LengthEncoded("1")), // SESSION_TRACK_STATE_CHANGE
            .. SchemaRecord("shop"),
            .. Record(5, LengthEncoded("READ COMMITTED")), // SESSION_TRACK_TRANSACTION_CHARACTERISTICS
        ];
        Assert.Equal("shop", SessionStateChanges.FindSchema(records));
    }

    [Fact]
    public void FindSchema_OnlyOtherRecords_IsNull() =>
        Assert.Null(SessionStateChanges.FindSchema([.. SystemVariableRecord("sql_mode", "ANSI"), .. Record(2, LengthEncoded("1"))]));

    [Fact]
    public void FindSchema_LastSchemaRecordWins() =>
        Assert.Equal("second", SessionStateChanges.FindSchema([.. SchemaRecord("first"), .. SchemaRecord("second")]));

    [Fact]
    public void FindSchema_Utf8Name() => Assert.Equal("bäckerei", SessionStateChanges.FindSchema(SchemaRecord("bäckerei")));

    [Theory]
    [InlineData(new byte[] { 1 })] // type without data
    [InlineData(new byte[] { 1, 5, 4, (byte)'s' })] // data shorter than its length
    [InlineData(new byte[] { 1, 2, 5, (byte)'s' })] // schema name shorter than its length
    [InlineData(new byte[] { 1, 0 })] // schema record with no name inside
    [InlineData(new byte[] { 0, 0xFF })] // invalid length-encoded integer
    public void FindSchema_Malformed_IsNull(byte[] records) => Assert.Null(SessionStateChanges.FindSchema(records));

    [Fact]
    public void FindSchema_MalformedAfterSchema_IsNull() =>
        Assert.Null(SessionStateChanges.FindSchema([.. SchemaRecord("shop"), 0, 9, 1]));
}
