using System.Buffers;
using ProxyLayer.Protocol.Serialization;

namespace ProxyLayer.Protocol.Tests;

/// <summary>Helpers for writing expected bytes as hex and for building payloads and multi-segment sequences.</summary>
internal static class TestBytes
{
    /// <summary>Hex with any whitespace between bytes: "07 00 00 02".</summary>
    public static byte[] Hex(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static byte[] Build(Action<PayloadWriter> build)
    {
        using var writer = new PayloadWriter();
        build(writer);
        return writer.Payload.ToArray();
    }

    /// <summary>Frames a payload with <see cref="PacketFramer"/>, the bytes as they would be on the wire.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte sequenceId = 0)
    {
        var output = new ArrayBufferWriter<byte>();
        PacketFramer.WritePackets(output, payload, sequenceId);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A sequence whose segments are exactly <paramref name="parts"/> (empty parts included).</summary>
    public static ReadOnlySequence<byte> Segmented(params byte[][] parts)
    {
        if (parts.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
            last = last.Append(part);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="bytes"/> into segments of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] bytes, int size) =>
        Segmented(bytes.Chunk(size).ToArray());

    public static byte[] Sequential(int length, int start = 0)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = (byte)(start + i);
        return bytes;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
