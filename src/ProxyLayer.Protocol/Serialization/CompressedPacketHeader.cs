using System.Buffers;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// The 7-byte header of a compressed-protocol frame: 3-byte length of the frame's payload as sent, a sequence id
/// counted apart from the packets', and the 3-byte length before compression (0: the payload is not compressed).
/// See https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression_packet.html.
/// </summary>
public static class CompressedPacketHeader
{
    public const int Size = 7;

    /// <summary>Either length field holds at most 16 MB − 1.</summary>
    public const int MaxLength = 0xFF_FFFF;

    public static bool TryRead(in ReadOnlySequence<byte> buffer, out int payloadLength, out byte sequenceId, out int uncompressedLength)
    {
        if (buffer.Length < Size)
        {
            payloadLength = 0;
            sequenceId = 0;
            uncompressedLength = 0;
            return false;
        }
        Span<byte> header = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(header);
        payloadLength = header[0] | (header[1] << 8) | (header[2] << 16);
        sequenceId = header[3];
        uncompressedLength = header[4] | (header[5] << 8) | (header[6] << 16);
        return true;
    }

    public static void Write(Span<byte> destination, int payloadLength, byte sequenceId, int uncompressedLength)
    {
        destination[0] = (byte)payloadLength;
        destination[1] = (byte)(payloadLength >> 8);
        destination[2] = (byte)(payloadLength >> 16);
        destination[3] = sequenceId;
        destination[4] = (byte)uncompressedLength;
        destination[5] = (byte)(uncompressedLength >> 8);
        destination[6] = (byte)(uncompressedLength >> 16);
    }
}
