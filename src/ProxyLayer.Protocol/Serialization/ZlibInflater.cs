using System.Buffers;
using System.Runtime.InteropServices;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// A native inflate stream, reset for every frame; one per thread, like <see cref="ZlibDeflater"/>, because a frame
/// is inflated in one go once all of it has arrived.
/// </summary>
internal sealed unsafe class ZlibInflater : SafeHandle
{
    [ThreadStatic]
    private static ZlibInflater? _current;

    /// <summary>Prefer <see cref="ForCurrentThread"/>; one per thread is all that is needed.</summary>
    public ZlibInflater()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        var stream = Zlib.Allocate();
        if (Zlib.InitInflate(stream) != Zlib.Ok)
        {
            NativeMemory.Free(stream);
            throw new InvalidOperationException("zlib: inflateInit2 failed (out of memory?)");
        }
        SetHandle((nint)stream);
    }

    public static ZlibInflater ForCurrentThread => _current ??= new ZlibInflater();

    public override bool IsInvalid => handle == IntPtr.Zero;

    private Zlib.ZStream* Stream => (Zlib.ZStream*)handle;

    /// <summary>
    /// Inflates one whole zlib stream from <paramref name="source"/> into all of <paramref name="destination"/>. False
    /// if the data is corrupt or truncated, is followed by extra bytes, or does not inflate to exactly
    /// <paramref name="destination"/>'s length; <paramref name="destination"/> then holds garbage.
    /// </summary>
    public bool TryDecompress(in ReadOnlySequence<byte> source, Span<byte> destination)
    {
        var stream = Stream;
        if (Zlib.InflateReset(stream) != Zlib.Ok)
            return false;
        var ended = false;
        // Once the destination is full, one spare byte of room: output longer than announced then shows instead of stalling.
        byte spare = 0;
        var onSpare = false;
        try
        {
            fixed (byte* output = destination)
            {
                stream->NextOut = output;
                stream->AvailOut = (uint)destination.Length;
                foreach (var segment in source)
                {
                    if (segment.IsEmpty)
                        continue;
                    if (ended)
                        return false;
                    fixed (byte* input = segment.Span)
                    {
                        stream->NextIn = input;
                        stream->AvailIn = (uint)segment.Length;
                        while (true)
                        {
                            if (stream->AvailOut == 0 && !onSpare)
                            {
                                stream->NextOut = &spare;
                                stream->AvailOut = 1;
                                onSpare = true;
                            }
                            var result = Zlib.Inflate(stream, Zlib.NoFlush);
                            if (onSpare && stream->AvailOut == 0)
                                return false;
                            if (result == Zlib.StreamEnd)
                            {
                                ended = stream->AvailIn == 0;
                                if (!ended)
                                    return false;
                                break;
                            }
                            if (result != Zlib.Ok && result != Zlib.BufferError)
                                return false;
                            if (stream->AvailIn == 0)
                                break;
                            // Input is left although there was room for output: zlib cannot make progress.
                            if (stream->AvailOut != 0)
                                return false;
                        }
                    }
                }
                var written = onSpare ? destination.Length : (int)(stream->NextOut - output);
                return ended && written == destination.Length;
            }
        }
        finally
        {
            stream->NextIn = null;
            stream->AvailIn = 0;
            stream->NextOut = null;
            stream->AvailOut = 0;
        }
    }

    protected override bool ReleaseHandle()
    {
        _ = Zlib.InflateEnd((Zlib.ZStream*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
