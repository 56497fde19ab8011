using System.Buffers;
using CsCheck;
using ProxyLayer.Protocol.Serialization;
using static ProxyLayer.Protocol.Tests.TestBytes;

namespace ProxyLayer.Protocol.Tests.Properties;

/// <summary>Round trips of the wire encodings over generated values (CsCheck shrinks a failure to its smallest case).</summary>
public sealed class CodecProperties
{
    private const int Max = PacketHeader.MaxPayloadLength;

    /// <summary>Values near each width boundary of a length-encoded integer, and anything else.</summary>
    private static readonly Gen<ulong> LengthEncodedValues = Gen.OneOf(
        Gen.ULong,
        Gen.ULong[0, 260],
        Gen.ULong[0xFFF0, 0x1_0010],
        Gen.ULong[0xFF_FFF0, 0x100_0010],
        Gen.ULong[ulong.MaxValue - 16, ulong.MaxValue]);

    [Fact]
    public void Length_encoded_integers_round_trip_in_the_smallest_width() => LengthEncodedValues.Sample(value =>
    {
        var bytes = Build(w => w.WriteLengthEncodedInteger(value));
        var reader = new PayloadReader(bytes);
        Assert.Equal(value, reader.ReadLengthEncodedInteger());
        Assert.True(reader.IsAtEnd);
        Assert.Equal(value switch { < 0xFB => 1, <= 0xFFFF => 3, <= 0xFF_FFFF => 4, _ => 9 }, bytes.Length);
    });

    [Fact]
    public void Length_encoded_bytes_round_trip() => Gen.Byte.Array[0, 70_000].Sample(value =>
    {
        var reader = new PayloadReader(Build(w => w.WriteLengthEncodedBytes(value).WriteByte(0xAA)));
        Assert.Equal(value, reader.ReadLengthEncodedBytes().ToArray());
        Assert.Equal(0xAA, reader.ReadByte());
    }, iter: 200);

    [Fact]
    public void Length_encoded_and_nul_terminated_strings_round_trip() => Strings.Sample(value =>
    {
        var reader = new PayloadReader(Build(w => w.WriteLengthEncodedString(value).WriteNullTerminatedString(value)));
        Assert.Equal(value, reader.ReadLengthEncodedString());
        Assert.Equal(value, reader.ReadNullTerminatedString());
        Assert.True(reader.IsAtEnd);
    });

    [Fact]
    public void Packets_of_any_size_frame_and_unframe_across_any_segment_split() =>
        Gen.Select(Gen.Int[0, 3000], Gen.Byte, Gen.Int[1, 7]).Sample((length, sequenceId, pieces) =>
            AssertFramingRoundTrip(length, sequenceId, pieces), iter: 300);

    [Fact]
    public void Payloads_around_the_16_MB_split_frame_and_unframe() =>
        Gen.Select(Gen.OneOf(Gen.Int[Max - 2, Max + 2], Gen.Int[2 * Max - 1, 2 * Max + 1]), Gen.Byte, Gen.Int[1, 3])
            .Sample((length, sequenceId, pieces) => AssertFramingRoundTrip(length, sequenceId, pieces), iter: 12);

    private static void AssertFramingRoundTrip(int length, byte sequenceId, int pieces)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var wire = Frame(payload, sequenceId);
        Assert.Equal(length / Max + 1, Count(wire));

        var buffer = Split(wire, pieces);
        using var read = new PayloadWriter(Math.Max(1, length));
        Assert.True(PacketFramer.TryReadPayload(ref buffer, read, long.MaxValue, out var last));
        Assert.True(buffer.IsEmpty);
        Assert.Equal((byte)(sequenceId + length / Max), last);
        Assert.True(read.Payload.SequenceEqual(payload));

        // One byte short of the last packet is not yet a payload.
        var partial = Split(wire[..^1], pieces);
        using var none = new PayloadWriter();
        Assert.False(PacketFramer.TryReadPayload(ref partial, none, long.MaxValue, out _));
        Assert.Equal(0, none.Length);
    }

    /// <summary>Valid text (no lone surrogates, no NUL), so that UTF-8 carries it exactly.</summary>
    internal static readonly Gen<string> Strings = Gen.OneOf(Gen.String[Gen.Char['\u0001', '\u007F'], 0, 40], Gen.String[Gen.Char['\u0001', '\uD7FF'], 0, 40]);

    private static int Count(byte[] wire)
    {
        var packets = 0;
        for (var at = 0; at < wire.Length; packets++)
            at += PacketHeader.Size + (wire[at] | wire[at + 1] << 8 | wire[at + 2] << 16);
        return packets;
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int pieces)
    {
        var size = Math.Max(1, bytes.Length / pieces);
        var parts = bytes.Chunk(size).ToArray();
        return parts.Length == 0 ? ReadOnlySequence<byte>.Empty : Segmented(parts);
    }
}
