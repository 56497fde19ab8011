using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

public class PayloadReaderTests
{
    [Theory]
    [InlineData("00", 0UL)]
    [InlineData("FA", 250UL)]
    [InlineData("FC FB 00", 251UL)]
    [InlineData("FC FF FF", 0xFFFFUL)]
    [InlineData("FD 00 00 01", 0x10000UL)]
    [InlineData("FD FF FF FF", 0xFFFFFFUL)]
    [InlineData("FE 00 00 00 01 00 00 00 00", 0x1000000UL)]
    [InlineData("FE FF FF FF FF FF FF FF FF", ulong.MaxValue)]
    [InlineData("FB", ulong.MaxValue)] // NULL
    public void LengthEncodedInteger_golden_bytes(string hex, ulong expected)
    {
        var reader = new PayloadReader(Hex(hex));
        Assert.Equal(expected, reader.ReadLengthEncodedInteger());
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(250UL)]
    [InlineData(251UL)]
    [InlineData(0xFFFFUL)]
    [InlineData(0x10000UL)]
    [InlineData(0xFFFFFFUL)]
    [InlineData(0x1000000UL)]
    [InlineData(0xFFFFFFFFUL)]
    [InlineData(0x100000000UL)]
    public void LengthEncodedInteger_round_trip_at_boundaries(ulong value)
    {
        foreach (var v in new[] { value, value == 0 ? 0 : value - 1, value + 1 })
        {
            var bytes = Build(w => w.WriteLengthEncodedInteger(v).WriteByte(0xEE));
            var reader = new PayloadReader(bytes);
            Assert.Equal(v, reader.ReadLengthEncodedInteger());
            Assert.Equal(0xEE, reader.ReadByte());
            Assert.True(reader.IsAtEnd);
        }
    }

    [Fact]
    public void Fixed_width_and_string_round_trip()
    {
        var bytes = Build(w => w.WriteByte(1).WriteUInt16(0xBEEF).WriteUInt24(0xABCDEF).WriteUInt32(0xDEADBEEF)
            .WriteUInt64(ulong.MaxValue - 5).WriteNullTerminatedString("hé").WriteLengthEncodedString("world")
            .WriteLengthEncodedBytes([]).WriteString("rest"));
        var reader = new PayloadReader(bytes);
        Assert.Equal(1, reader.PeekByte());
        Assert.Equal(1, reader.ReadByte());
        Assert.Equal(0xBEEF, reader.ReadUInt16());
        Assert.Equal(0xABCDEF, reader.ReadUInt24());
        Assert.Equal(0xDEADBEEFu, reader.ReadUInt32());
        Assert.Equal(ulong.MaxValue - 5, reader.ReadUInt64());
        Assert.Equal("hé", reader.ReadNullTerminatedString());
        Assert.Equal("world", reader.ReadLengthEncodedString());
        Assert.True(reader.ReadLengthEncodedBytes().IsEmpty);
        Assert.Equal(4, reader.Remaining);
        Assert.Equal("rest", reader.ReadStringToEnd());
        Assert.True(reader.IsAtEnd);
        Assert.True(reader.ReadToEnd().IsEmpty);
    }

    [Fact]
    public void Null_terminated_without_terminator_takes_the_rest()
    {
        var reader = new PayloadReader("abc"u8);
        Assert.Equal("abc", reader.ReadNullTerminatedString());
        Assert.True(reader.IsAtEnd);
        Assert.Equal("", reader.ReadNullTerminatedString());
    }

    [Fact]
    public void Skip_and_offset()
    {
        var reader = new PayloadReader(Hex("01 02 03 04"));
        reader.Skip(3);
        Assert.Equal(3, reader.Offset);
        Assert.Equal(Hex("04"), reader.RemainingSpan.ToArray());
    }

    public static TheoryData<string, string> TruncatedInputs => new()
    {
        { "", "byte" },
        { "", "peek" },
        { "01", "u16" },
        { "01 02", "u24" },
        { "01 02 03", "u32" },
        { "01 02 03 04 05 06 07", "u64" },
        { "", "lenenc" },
        { "FC 01", "lenenc" },
        { "FD 01 02", "lenenc" },
        { "FE 01 02 03 04 05 06 07", "lenenc" },
        { "FF", "lenenc" },
        { "05 61 62", "lenencstr" },
        { "FB", "lenencstr" },
        { "FC FF FF 00", "lenencstr" },
        { "01 02", "bytes3" },
        { "01 02", "skip3" },
        { "01 02", "bytes-1" },
        // A 64-bit length just under 2 GB after an offset of 9: the end overflows int.
        { "FE FF FF FF 7F 00 00 00 00 61", "lenencstr" },
        { "FE FF FF FF FF 00 00 00 00 61", "lenencstr" },
    };

    [Theory]
    [MemberData(nameof(TruncatedInputs))]
    public void Truncated_or_malformed_input_throws_ProtocolException(string hex, string operation)
    {
        var bytes = Hex(hex);
        var exception = Record.Exception(() =>
        {
            var reader = new PayloadReader(bytes);
            switch (operation)
            {
                case "byte": reader.ReadByte(); break;
                case "peek": reader.PeekByte(); break;
                case "u16": reader.ReadUInt16(); break;
                case "u24": reader.ReadUInt24(); break;
                case "u32": reader.ReadUInt32(); break;
                case "u64": reader.ReadUInt64(); break;
                case "lenenc": reader.ReadLengthEncodedInteger(); break;
                case "lenencstr": reader.ReadLengthEncodedString(); break;
                case "bytes3": reader.ReadBytes(3); break;
                case "skip3": reader.Skip(3); break;
                case "bytes-1": reader.ReadBytes(-1); break;
                default: throw new ArgumentOutOfRangeException(nameof(operation));
            }
        });
        Assert.IsType<ProtocolException>(exception);
    }

    [Fact]
    public void Failed_read_does_not_move_the_reader()
    {
        var reader = new PayloadReader(Hex("01 02 03"));
        reader.ReadByte();
        try
        {
            reader.ReadUInt32();
        }
        catch (ProtocolException)
        {
        }
        Assert.Equal(1, reader.Offset);
        Assert.Equal(0x0302, reader.ReadUInt16());
    }
}
