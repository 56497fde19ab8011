using System.Buffers;
using System.IO.Compression;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

public class CompressedPacketFramerTests
{
    // COM_QUERY 'select "012345678901234567890123456789012345"' as a packet, and the same in a compressed frame, from
    // https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression_packet.html.
    private static readonly byte[] QueryPacket = Hex("""
        2e 00 00 00 03 73 65 6c 65 63 74 20 22 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38
        39 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 22
        """);
    private static readonly byte[] QueryFrame = Hex("""
        22 00 00 00 32 00 00 78 9c d3 63 60 60 60 2e 4e cd 49 4d 2e 51 50 32 30 34 32 36 31 35 33 b7 b0
        c4 cd 52 02 00 0c d1 0a 6c
        """);

    [Fact]
    public void Documented_query_compresses_to_the_documented_frame()
    {
        var output = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(output, new ReadOnlySequence<byte>(QueryPacket), 0);
        Assert.Equal(QueryFrame, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Documented_frame_decodes_to_the_query()
    {
        Assert.Equal(QueryPacket, DecodeAll(new ReadOnlySequence<byte>(QueryFrame), out var ids));
        Assert.Equal([0], ids);
    }

    [Fact]
    public void Short_data_is_sent_uncompressed_with_length_zero()
    {
        var ping = Hex("01 00 00 00 0e");
        var output = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(output, new ReadOnlySequence<byte>(ping), 3);
        Assert.Equal(Hex("05 00 00 03 00 00 00 01 00 00 00 0e"), output.WrittenSpan.ToArray());
        Assert.Equal(ping, DecodeAll(new ReadOnlySequence<byte>(output.WrittenMemory), out _));
    }

    [Fact]
    public void Data_that_would_not_shrink_is_sent_uncompressed()
    {
        var random = new byte[4000];
        new Random(7).NextBytes(random);
        var output = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(output, new ReadOnlySequence<byte>(random), 9);
        Assert.Equal(Hex("a0 0f 00 09 00 00 00"), output.WrittenSpan[..7].ToArray());
        Assert.True(output.WrittenSpan[7..].SequenceEqual(random));
    }

    [Fact]
    public void Compressed_frame_is_standard_zlib()
    {
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("row data, ", 500)));
        var output = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(output, new ReadOnlySequence<byte>(text), 1);
        var frame = output.WrittenSpan;
        Assert.True(CompressedPacketHeader.TryRead(new ReadOnlySequence<byte>(frame.ToArray()), out var length, out var id, out var uncompressed));
        Assert.Equal(frame.Length - 7, length);
        Assert.Equal(1, id);
        Assert.Equal(text.Length, uncompressed);
        Assert.True(length < text.Length / 10);
        using var zlib = new ZLibStream(new MemoryStream(frame[7..].ToArray()), CompressionMode.Decompress);
        var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        Assert.Equal(text, inflated.ToArray());
    }

    [Fact]
    public void Input_spread_over_many_segments_compresses_the_same()
    {
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef", 1000)));
        var whole = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(whole, new ReadOnlySequence<byte>(text), 0);
        var pieces = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(pieces, Chunked(text, 7), 0);
        Assert.Equal(whole.WrittenSpan.ToArray(), pieces.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Frames_split_at_any_point_decode_to_the_same_bytes(int segmentSize)
    {
        var wire = Hex("05 00 00 00 00 00 00 01 00 00 00 0e").Concat(QueryFrame).Concat(QueryFrame).ToArray();
        var expected = Hex("01 00 00 00 0e").Concat(QueryPacket).Concat(QueryPacket).ToArray();
        Assert.Equal(expected, DecodeAll(Chunked(wire, segmentSize), out var ids));
        Assert.Equal([0, 0, 0], ids);
    }

    [Fact]
    public void Incomplete_frames_are_left_for_later()
    {
        for (var length = 0; length < QueryFrame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(QueryFrame, 0, length);
            Assert.False(CompressedPacketFramer.TryReadFrame(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Largest_frame_round_trips()
    {
        var data = new byte[CompressedPacketHeader.MaxLength];
        new Random(3).NextBytes(data.AsSpan(0, data.Length / 2)); // half random, half zeros
        var output = new ArrayBufferWriter<byte>();
        CompressedPacketFramer.WriteFrame(output, new ReadOnlySequence<byte>(data), 255);
        Assert.Equal(Hex("ff ff ff"), output.WrittenSpan[4..7].ToArray());
        Assert.True(output.WrittenCount < data.Length * 3 / 4);
        Assert.True(data.AsSpan().SequenceEqual(DecodeAll(Chunked(output.WrittenSpan.ToArray(), 65536), out var ids)));
        Assert.Equal([255], ids);
    }

    [Fact]
    public void Corrupt_zlib_data_is_a_protocol_error()
    {
        var corrupt = (byte[])QueryFrame.Clone();
        corrupt[12] ^= 0xFF;
        var error = Assert.Throws<ProtocolException>(() => DecodeAll(new ReadOnlySequence<byte>(corrupt), out _));
        Assert.Contains("do not inflate to the announced 50 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(49)]
    [InlineData(51)]
    [InlineData(0xFF_FFFF)]
    public void Data_that_inflates_to_another_length_than_announced_is_a_protocol_error(int announced)
    {
        var frame = (byte[])QueryFrame.Clone();
        frame[4] = (byte)announced;
        frame[5] = (byte)(announced >> 8);
        frame[6] = (byte)(announced >> 16);
        Assert.Throws<ProtocolException>(() => DecodeAll(new ReadOnlySequence<byte>(frame), out _));
    }

    [Fact]
    public void Bytes_after_the_end_of_the_zlib_stream_are_a_protocol_error()
    {
        var frame = QueryFrame.Concat(Hex("00 00")).ToArray();
        frame[0] += 2;
        Assert.Throws<ProtocolException>(() => DecodeAll(Chunked(frame, 20), out _));
    }

    [Fact]
    public void Truncated_zlib_stream_is_a_protocol_error()
    {
        var frame = QueryFrame[..^4];
        frame[0] -= 4;
        Assert.Throws<ProtocolException>(() => DecodeAll(new ReadOnlySequence<byte>(frame), out _));
    }

    private static byte[] DecodeAll(ReadOnlySequence<byte> wire, out List<byte> sequenceIds)
    {
        var output = new List<byte>();
        sequenceIds = [];
        while (CompressedPacketFramer.TryReadFrame(ref wire, out var frame))
        {
            var bytes = new byte[frame.Length];
            CompressedPacketFramer.Decode(frame, bytes);
            output.AddRange(bytes);
            sequenceIds.Add(frame.SequenceId);
        }
        Assert.True(wire.IsEmpty);
        return [.. output];
    }
}
