using System.Buffers;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Serialization;

public class PacketFramerTests
{
    private const int Max = PacketHeader.MaxPayloadLength;

    [Fact]
    public void Ok_packet_golden_bytes()
    {
        var output = new ArrayBufferWriter<byte>();
        var next = PacketFramer.WritePackets(output, Hex("00 00 00 02 00 00 00"), 2);
        Assert.Equal(Hex("07 00 00 02 00 00 00 02 00 00 00"), output.WrittenSpan.ToArray());
        Assert.Equal(3, next);
    }

    [Fact]
    public void Empty_payload_is_one_empty_packet()
    {
        var output = new ArrayBufferWriter<byte>();
        var next = PacketFramer.WritePackets(output, [], 5);
        Assert.Equal(Hex("00 00 00 05"), output.WrittenSpan.ToArray());
        Assert.Equal(6, next);
    }

    [Fact]
    public void Payload_of_exactly_max_needs_a_trailing_empty_packet()
    {
        var payload = Sequential(Max);
        var output = new ArrayBufferWriter<byte>();
        var next = PacketFramer.WritePackets(output, payload, 0);
        var wire = output.WrittenSpan;

        Assert.Equal(PacketHeader.Size + Max + PacketHeader.Size, wire.Length);
        Assert.Equal(Hex("FF FF FF 00"), wire[..4].ToArray());
        Assert.True(wire.Slice(4, Max).SequenceEqual(payload));
        Assert.Equal(Hex("00 00 00 01"), wire[^4..].ToArray());
        Assert.Equal(2, next);

        var buffer = new ReadOnlySequence<byte>(wire.ToArray());
        using var destination = new PayloadWriter();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, long.MaxValue, out var lastId));
        Assert.Equal(1, lastId);
        Assert.True(buffer.IsEmpty);
        Assert.True(destination.Payload.SequenceEqual(payload));
    }

    [Fact]
    public void Payload_one_below_max_is_a_single_packet()
    {
        var output = new ArrayBufferWriter<byte>();
        var next = PacketFramer.WritePackets(output, new byte[Max - 1], 0);
        Assert.Equal(PacketHeader.Size + Max - 1, output.WrittenCount);
        Assert.Equal(Hex("FE FF FF 00"), output.WrittenSpan[..4].ToArray());
        Assert.Equal(1, next);
    }

    [Fact]
    public void Payload_of_two_max_plus_five_splits_into_three_packets_and_joins()
    {
        var payload = Sequential(Max * 2 + 5, start: 7);
        var output = new ArrayBufferWriter<byte>();
        var next = PacketFramer.WritePackets(output, payload, 0);
        var wire = output.WrittenSpan;

        Assert.Equal(3 * PacketHeader.Size + payload.Length, wire.Length);
        Assert.Equal(Hex("FF FF FF 00"), wire[..4].ToArray());
        Assert.Equal(Hex("FF FF FF 01"), wire.Slice(4 + Max, 4).ToArray());
        Assert.Equal(Hex("05 00 00 02"), wire.Slice(8 + 2 * Max, 4).ToArray());
        Assert.Equal(3, next);

        // Deliver in awkward 1 MB + 3 segments so headers straddle segment boundaries.
        var buffer = Chunked(wire.ToArray(), (1 << 20) + 3);
        using var destination = new PayloadWriter();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, long.MaxValue, out var lastId));
        Assert.Equal(2, lastId);
        Assert.True(buffer.IsEmpty);
        Assert.Equal(payload.Length, destination.Length);
        Assert.True(destination.Payload.SequenceEqual(payload));
    }

    [Fact]
    public void Sequence_ids_wrap_at_255()
    {
        var output = new ArrayBufferWriter<byte>();
        var next = PacketFramer.WritePackets(output, new byte[Max * 2 + 1], 254);
        var wire = output.WrittenSpan;
        Assert.Equal(254, wire[3]);
        Assert.Equal(255, wire[4 + Max + 3]);
        Assert.Equal(0, wire[8 + 2 * Max + 3]);
        Assert.Equal(1, next);

        var single = new ArrayBufferWriter<byte>();
        Assert.Equal(0, PacketFramer.WritePackets(single, [1], 255));
        Assert.Equal(Hex("01 00 00 FF 01"), single.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryReadPayload_reads_one_payload_and_leaves_the_next()
    {
        var wire = Hex("02 00 00 00 AA BB 01 00 00 01 CC");
        var buffer = new ReadOnlySequence<byte>(wire);
        using var destination = new PayloadWriter();

        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, 100, out var id));
        Assert.Equal(0, id);
        Assert.Equal(Hex("AA BB"), destination.Payload.ToArray());
        Assert.Equal(5, buffer.Length);

        destination.Clear();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, 100, out id));
        Assert.Equal(1, id);
        Assert.Equal(Hex("CC"), destination.Payload.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryReadPayload_on_every_prefix_is_incomplete_and_consumes_nothing()
    {
        var wire = Hex("03 00 00 04 01 02 03");
        for (var length = 0; length < wire.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(wire, 0, length);
            var before = buffer;
            using var destination = new PayloadWriter();
            Assert.False(PacketFramer.TryReadPayload(ref buffer, destination, 100, out _));
            Assert.Equal(before.Length, buffer.Length);
            Assert.True(before.Start.Equals(buffer.Start));
            Assert.Equal(0, destination.Length);
        }
    }

    [Fact]
    public void TryReadPayload_split_payload_with_last_packet_missing_is_incomplete()
    {
        var wire = Frame(new byte[Max + 10]);
        foreach (var cut in new[] { Max + 4, Max + 5, Max + 8, Max + 8 + 9 })
        {
            var buffer = new ReadOnlySequence<byte>(wire, 0, cut);
            using var destination = new PayloadWriter();
            Assert.False(PacketFramer.TryReadPayload(ref buffer, destination, long.MaxValue, out _));
            Assert.Equal(cut, buffer.Length);
            Assert.Equal(0, destination.Length);
        }
    }

    [Fact]
    public void TryReadPayload_multi_segment_one_byte_per_segment()
    {
        var payload = Hex("03 64 65 66 00 FB");
        var wire = Frame(payload, 9);
        var buffer = Chunked(wire, 1);
        Assert.False(buffer.IsSingleSegment);
        using var destination = new PayloadWriter();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, 100, out var id));
        Assert.Equal(9, id);
        Assert.Equal(payload, destination.Payload.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryReadPayload_multi_segment_with_empty_segments()
    {
        var buffer = Segmented([], [0x02, 0x00], [], [0x00, 0x03, 0x41], [], [0x42, 0x99], []);
        using var destination = new PayloadWriter();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, 100, out var id));
        Assert.Equal(3, id);
        Assert.Equal("AB"u8.ToArray(), destination.Payload.ToArray());
        Assert.Equal(1, buffer.Length);
        Assert.Equal(0x99, buffer.FirstSpan[0]);
    }

    [Fact]
    public void TryReadPayload_appends_to_destination()
    {
        var buffer = new ReadOnlySequence<byte>(Hex("01 00 00 00 02"));
        using var destination = new PayloadWriter();
        destination.WriteByte(1);
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, 100, out _));
        Assert.Equal(Hex("01 02"), destination.Payload.ToArray());
    }

    [Fact]
    public void Oversize_payload_throws_PacketTooLargeException_from_the_header_alone()
    {
        // Only the header has arrived: the length is known to be too big before the body.
        var buffer = new ReadOnlySequence<byte>(Hex("0B 00 00 00 01"));
        using var destination = new PayloadWriter();
        var exception = Assert.Throws<PacketTooLargeException>(() =>
            PacketFramer.TryReadPayload(ref buffer, destination, 10, out _));
        Assert.Equal(11, exception.Length);
        Assert.Equal(10, exception.Limit);
    }

    [Fact]
    public void Payload_of_exactly_the_limit_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>(Frame(new byte[10]));
        using var destination = new PayloadWriter();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, 10, out _));
        Assert.Equal(10, destination.Length);
    }

    [Fact]
    public void Oversize_split_payload_is_counted_across_packets()
    {
        // First packet is full (16 MB − 1) and the limit is 16 MB: the second header pushes the total over it.
        var wire = Frame(new byte[Max + 2]);
        var buffer = new ReadOnlySequence<byte>(wire);
        using var destination = new PayloadWriter();
        var exception = Assert.Throws<PacketTooLargeException>(() =>
            PacketFramer.TryReadPayload(ref buffer, destination, Max + 1, out _));
        Assert.Equal(Max + 2, exception.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(0x10000)]
    public void Round_trip(int length)
    {
        var payload = Sequential(length, start: 3);
        var buffer = new ReadOnlySequence<byte>(Frame(payload, 200));
        using var destination = new PayloadWriter();
        Assert.True(PacketFramer.TryReadPayload(ref buffer, destination, long.MaxValue, out var id));
        Assert.Equal(200, id);
        Assert.Equal(payload, destination.Payload.ToArray());
    }

    [Fact]
    public void A_big_payload_is_copied_in_pieces_rather_than_into_one_span_of_its_size()
    {
        var payload = Sequential(1024 * 1024 + 3);
        var output = new HintRecordingWriter();
        var next = PacketFramer.WritePackets(output, payload, 0);

        Assert.InRange(output.LargestHint, 0, 16 * 1024);
        var expected = new ArrayBufferWriter<byte>();
        PacketHeader.Write(expected.GetSpan(PacketHeader.Size), payload.Length, 0);
        expected.Advance(PacketHeader.Size);
        expected.Write(payload);
        Assert.True(output.Written.WrittenSpan.SequenceEqual(expected.WrittenSpan));
        Assert.Equal(1, next);
    }

    /// <summary>Hands out spans of at most 4 KB, as a pipe's segments, and records the largest size asked for.</summary>
    private sealed class HintRecordingWriter : IBufferWriter<byte>
    {
        public ArrayBufferWriter<byte> Written { get; } = new();
        public int LargestHint { get; private set; }

        public void Advance(int count) => Written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            LargestHint = Math.Max(LargestHint, sizeHint);
            return Written.GetSpan(Math.Max(sizeHint, 4096))[..Math.Max(sizeHint, 4096)];
        }
    }
}
