using System.Buffers;
using System.Diagnostics;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// Frames a byte stream of ordinary packets for the compressed protocol and back. A frame carries any slice of that
/// stream (part of a packet, or several), so the two layers' boundaries are independent of each other.
/// </summary>
public static class CompressedPacketFramer
{
    /// <summary>Below this many bytes a frame is sent as is: zlib's own overhead would eat the gain (MySQL's MIN_COMPRESS_LENGTH).</summary>
    public const int MinCompressLength = 50;

    /// <summary>False when the system zlib (libz.so.1) cannot be loaded; compression must not be negotiated then.</summary>
    public static bool IsSupported => Zlib.IsAvailable;

    /// <summary>
    /// Writes <paramref name="data"/> (at most <see cref="CompressedPacketHeader.MaxLength"/> bytes) as one frame,
    /// compressed unless it is short or would not shrink.
    /// </summary>
    public static void WriteFrame(IBufferWriter<byte> output, in ReadOnlySequence<byte> data, byte sequenceId)
    {
        var length = (int)data.Length;
        Debug.Assert(data.Length <= CompressedPacketHeader.MaxLength);
        var span = output.GetSpan(CompressedPacketHeader.Size + length);
        if (length >= MinCompressLength &&
            ZlibDeflater.ForCurrentThread.TryCompress(data, span.Slice(CompressedPacketHeader.Size, length - 1), out var compressed))
        {
            CompressedPacketHeader.Write(span, compressed, sequenceId, length);
            output.Advance(CompressedPacketHeader.Size + compressed);
            return;
        }
        CompressedPacketHeader.Write(span, length, sequenceId, 0);
        data.CopyTo(span[CompressedPacketHeader.Size..]);
        output.Advance(CompressedPacketHeader.Size + length);
    }

    /// <summary>
    /// Tries to take one whole frame from the front of <paramref name="buffer"/>; on success <paramref name="buffer"/>
    /// is advanced past it. <paramref name="frame"/> points into the original buffer and is valid as long as it is.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out CompressedFrame frame)
    {
        if (!CompressedPacketHeader.TryRead(buffer, out var length, out var sequenceId, out var uncompressedLength) ||
            buffer.Length < CompressedPacketHeader.Size + length)
        {
            frame = default;
            return false;
        }
        var payload = buffer.Slice(CompressedPacketHeader.Size, length);
        frame = new CompressedFrame(payload, sequenceId, uncompressedLength);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Writes the bytes <paramref name="frame"/> carries into all of <paramref name="destination"/> (<see cref="CompressedFrame.Length"/> bytes).</summary>
    /// <exception cref="ProtocolException">The frame's zlib data is corrupt or does not inflate to the announced length.</exception>
    public static void Decode(in CompressedFrame frame, Span<byte> destination)
    {
        Debug.Assert(destination.Length == frame.Length);
        if (!frame.IsCompressed)
            frame.Payload.CopyTo(destination);
        else if (!ZlibInflater.ForCurrentThread.TryDecompress(frame.Payload, destination))
            ThrowCorrupt(frame);
    }

    [StackTraceHidden]
    private static void ThrowCorrupt(in CompressedFrame frame) =>
        throw new ProtocolException(
            $"compressed packet: {frame.Payload.Length} bytes of zlib data do not inflate to the announced {frame.UncompressedLength} bytes");
}

/// <summary>One compressed-protocol frame as read: its payload as sent, its sequence id, and its length before compression (0: not compressed).</summary>
public readonly record struct CompressedFrame(ReadOnlySequence<byte> Payload, byte SequenceId, int UncompressedLength)
{
    public bool IsCompressed => UncompressedLength != 0;

    /// <summary>How many bytes of the packet stream the frame carries.</summary>
    public int Length => IsCompressed ? UncompressedLength : (int)Payload.Length;
}
