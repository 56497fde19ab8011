using System.Buffers;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// Turns payloads into packets and back. A payload of 16 MB − 1 bytes or more is split into packets of
/// <see cref="PacketHeader.MaxPayloadLength"/> bytes, ended by a shorter (possibly empty) one.
/// </summary>
public static class PacketFramer
{
    /// <summary>Writes <paramref name="payload"/> as one or more packets; returns the sequence id after the last.</summary>
    public static byte WritePackets(IBufferWriter<byte> output, ReadOnlySpan<byte> payload, byte sequenceId)
    {
        while (true)
        {
            var chunk = Math.Min(payload.Length, PacketHeader.MaxPayloadLength);
            if (chunk <= LargestContiguousPacket)
            {
                var span = output.GetSpan(PacketHeader.Size + chunk);
                PacketHeader.Write(span, chunk, sequenceId++);
                payload[..chunk].CopyTo(span[PacketHeader.Size..]);
                output.Advance(PacketHeader.Size + chunk);
            }
            else
            {
                PacketHeader.Write(output.GetSpan(PacketHeader.Size), chunk, sequenceId++);
                output.Advance(PacketHeader.Size);
                CopyInPieces(output, payload[..chunk]);
            }
            payload = payload[chunk..];
            if (chunk < PacketHeader.MaxPayloadLength)
                return sequenceId;
        }
    }

    /// <summary>
    /// Packets up to this size are written into one span. A bigger one is copied into spans of the writer's own size:
    /// asking for one span of its whole length would make a pipe rent (and its pool keep) a buffer that large.
    /// </summary>
    private const int LargestContiguousPacket = 16 * 1024 - PacketHeader.Size;

    private static void CopyInPieces(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var span = output.GetSpan();
            var length = Math.Min(span.Length, data.Length);
            data[..length].CopyTo(span);
            output.Advance(length);
            data = data[length..];
        }
    }

    /// <summary>
    /// Tries to take one whole payload (joining split packets) from the front of <paramref name="buffer"/>.
    /// On success, <paramref name="buffer"/> is advanced past it, the payload is appended to
    /// <paramref name="destination"/>, and <paramref name="lastSequenceId"/> is the id of its last packet.
    /// </summary>
    /// <exception cref="PacketTooLargeException">The payload exceeds <paramref name="maxPayloadLength"/>.</exception>
    public static bool TryReadPayload(ref ReadOnlySequence<byte> buffer, PayloadWriter destination, long maxPayloadLength,
        out byte lastSequenceId)
    {
        // Check that every part is present before copying anything, so a partial payload costs no copy.
        var probe = buffer;
        long total = 0;
        lastSequenceId = 0;
        while (true)
        {
            if (!PacketHeader.TryRead(probe, out var length, out var sequenceId))
                return false;
            total += length;
            if (total > maxPayloadLength)
                throw new PacketTooLargeException(total, maxPayloadLength);
            if (probe.Length < PacketHeader.Size + length)
                return false;
            probe = probe.Slice(PacketHeader.Size + length);
            lastSequenceId = sequenceId;
            if (length < PacketHeader.MaxPayloadLength)
                break;
        }

        while (true)
        {
            PacketHeader.TryRead(buffer, out var length, out _);
            var part = buffer.Slice(PacketHeader.Size, length);
            part.CopyTo(destination.GetSpan(length));
            destination.Advance(length);
            buffer = buffer.Slice(PacketHeader.Size + length);
            if (length < PacketHeader.MaxPayloadLength)
                return true;
        }
    }
}
