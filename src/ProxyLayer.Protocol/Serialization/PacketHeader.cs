using System.Buffers;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// The 4-byte header in front of every packet: 3-byte little-endian payload length and a sequence id.
/// See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html.
/// </summary>
public static class PacketHeader
{
    public const int Size = 4;

    /// <summary>A payload of exactly this length is continued by the next packet (16 MB − 1).</summary>
    public const int MaxPayloadLength = 0xFF_FFFF;

    public static bool TryRead(in ReadOnlySequence<byte> buffer, out int payloadLength, out byte sequenceId)
    {
        if (buffer.Length < Size)
        {
            payloadLength = 0;
            sequenceId = 0;
            return false;
        }
        Span<byte> header = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(header);
        payloadLength = header[0] | (header[1] << 8) | (header[2] << 16);
        sequenceId = header[3];
        return true;
    }

    /// <summary>The sequence id of the packet starting <paramref name="buffer"/>, which holds at least a whole header.</summary>
    public static byte SequenceIdAt(in ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        return first.Length >= Size ? first[3] : buffer.Slice(3, 1).FirstSpan[0];
    }

    public static void Write(Span<byte> destination, int payloadLength, byte sequenceId)
    {
        destination[0] = (byte)payloadLength;
        destination[1] = (byte)(payloadLength >> 8);
        destination[2] = (byte)(payloadLength >> 16);
        destination[3] = sequenceId;
    }
}
