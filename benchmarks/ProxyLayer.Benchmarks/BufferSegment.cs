using System.Buffers;

namespace ProxyLayer.Benchmarks;

/// <summary>Builds multi-segment sequences, as a pipe hands over data that arrived in several socket reads.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    private BufferSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    /// <summary>The bytes of <paramref name="data"/> as two segments, the first holding <paramref name="at"/> bytes.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int at)
    {
        var first = new BufferSegment(data.AsMemory(0, at));
        var second = new BufferSegment(data.AsMemory(at)) { RunningIndex = at };
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }
}
