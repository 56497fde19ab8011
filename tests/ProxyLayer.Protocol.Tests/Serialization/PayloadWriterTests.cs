using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

public class PayloadWriterTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(250UL, "FA")]
    [InlineData(251UL, "FC FB 00")]
    [InlineData(0xFFFFUL, "FC FF FF")]
    [InlineData(0x10000UL, "FD 00 00 01")]
    [InlineData(0xFFFFFFUL, "FD FF FF FF")]
    [InlineData(0x1000000UL, "FE 00 00 00 01 00 00 00 00")]
    [InlineData(0x0123456789ABCDEFUL, "FE EF CD AB 89 67 45 23 01")]
    [InlineData(ulong.MaxValue - 1, "FE FE FF FF FF FF FF FF FF")]
    public void LengthEncodedInteger_golden_bytes(ulong value, string expected)
    {
        Assert.Equal(Hex(expected), Build(w => w.WriteLengthEncodedInteger(value)));
    }

    [Fact]
    public void Fixed_width_integers_are_little_endian()
    {
        var bytes = Build(w => w.WriteByte(0xAB).WriteUInt16(0x0102).WriteUInt24(0x030405).WriteUInt32(0x06070809)
            .WriteUInt64(0x1011121314151617));
        Assert.Equal(Hex("AB 02 01 05 04 03 09 08 07 06 17 16 15 14 13 12 11 10"), bytes);
    }

    [Fact]
    public void Strings_golden_bytes()
    {
        var bytes = Build(w => w.WriteString("ab").WriteNullTerminatedString("c").WriteLengthEncodedString("dé")
            .WriteNullTerminatedBytes([0x01]).WriteLengthEncodedBytes([0x02, 0x03]).WriteZeros(2));
        // "é" is two bytes in UTF-8, so the length prefix is 3.
        Assert.Equal(Hex("61 62 63 00 03 64 C3 A9 01 00 02 02 03 00 00"), bytes);
    }

    [Fact]
    public void Length_encoded_string_of_251_bytes_uses_two_byte_length()
    {
        var text = new string('x', 251);
        var bytes = Build(w => w.WriteLengthEncodedString(text));
        Assert.Equal(3 + 251, bytes.Length);
        Assert.Equal(Hex("FC FB 00"), bytes[..3]);
    }

    [Fact]
    public void Grows_past_initial_capacity_and_keeps_content()
    {
        using var writer = new PayloadWriter(4);
        var data = Sequential(10_000);
        writer.WriteByte(0x7F);
        writer.WriteBytes(data);
        writer.WriteLengthEncodedString(new string('z', 70_000));
        Assert.Equal(1 + 10_000 + 4 + 70_000, writer.Length);
        Assert.Equal(0x7F, writer.Payload[0]);
        Assert.True(writer.Payload.Slice(1, 10_000).SequenceEqual(data));
        Assert.Equal(Hex("FD 70 11 01"), writer.Payload.Slice(10_001, 4).ToArray());
    }

    [Fact]
    public void Clear_starts_a_new_payload()
    {
        using var writer = new PayloadWriter();
        writer.WriteUInt32(0xFFFFFFFF);
        writer.Clear();
        writer.WriteByte(1);
        Assert.Equal(new byte[] { 1 }, writer.Payload.ToArray());
        Assert.Equal(1, writer.PayloadMemory.Length);
    }

    [Fact]
    public void IBufferWriter_GetSpan_and_Advance_append()
    {
        using var writer = new PayloadWriter(1);
        writer.WriteByte(9);
        var span = writer.GetSpan(3);
        Assert.True(span.Length >= 3);
        span[0] = 1;
        span[1] = 2;
        span[2] = 3;
        writer.Advance(3);
        var memory = writer.GetMemory(1);
        memory.Span[0] = 4;
        writer.Advance(1);
        Assert.Equal(Hex("09 01 02 03 04"), writer.Payload.ToArray());
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var writer = new PayloadWriter();
        writer.WriteByte(1);
        writer.Dispose();
        writer.Dispose();
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void Clear_lets_go_of_a_buffer_grown_past_what_an_idle_session_may_keep()
    {
        using var writer = new PayloadWriter(1024);
        writer.Advance(writer.GetSpan(1024 * 1024).Length);
        Assert.True(writer.Capacity >= 1024 * 1024);

        writer.Clear();

        Assert.InRange(writer.Capacity, 1024, PayloadWriter.LargestKeptBuffer);
        writer.WriteByte(7);
        Assert.Equal([7], writer.Payload.ToArray());
    }

    [Fact]
    public void Clear_keeps_a_buffer_of_ordinary_size()
    {
        using var writer = new PayloadWriter(1024);
        writer.GetSpan(20_000);
        var capacity = writer.Capacity;
        writer.Clear();
        Assert.Equal(capacity, writer.Capacity);
    }
}
