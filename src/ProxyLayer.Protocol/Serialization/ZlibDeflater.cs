using System.Buffers;
using System.Runtime.InteropServices;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// A native deflate stream, reset for every frame. Compressing a frame never awaits, so one per thread serves every
/// connection: memory does not grow with the number of compressed connections. Freed when its thread ends.
/// </summary>
internal sealed unsafe class ZlibDeflater : SafeHandle
{
    [ThreadStatic]
    private static ZlibDeflater? _current;

    /// <summary>Prefer <see cref="ForCurrentThread"/>; one per thread is all that is needed.</summary>
    public ZlibDeflater()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        var stream = Zlib.Allocate();
        if (Zlib.InitDeflate(stream) != Zlib.Ok)
        {
            NativeMemory.Free(stream);
            throw new InvalidOperationException("zlib: deflateInit2 failed (out of memory?)");
        }
        SetHandle((nint)stream);
    }

    public static ZlibDeflater ForCurrentThread => _current ??= new ZlibDeflater();

    public override bool IsInvalid => handle == IntPtr.Zero;

    private Zlib.ZStream* Stream => (Zlib.ZStream*)handle;

    /// <summary>
    /// Compresses <paramref name="source"/> as one zlib stream into <paramref name="destination"/>. Returns false if
    /// the result does not fit, which the caller takes as "not worth compressing".
    /// </summary>
    public bool TryCompress(in ReadOnlySequence<byte> source, Span<byte> destination, out int written)
    {
        var stream = Stream;
        if (Zlib.DeflateReset(stream) != Zlib.Ok)
        {
            written = 0;
            return false;
        }
        written = 0;
        fixed (byte* output = destination)
        {
            stream->NextOut = output;
            stream->AvailOut = (uint)destination.Length;
            foreach (var segment in source)
            {
                fixed (byte* input = segment.Span)
                {
                    stream->NextIn = input;
                    stream->AvailIn = (uint)segment.Length;
                    var result = Zlib.Deflate(stream, Zlib.NoFlush);
                    // With output space left, deflate takes all input; input left over means the output is full.
                    var full = stream->AvailIn != 0 || (result != Zlib.Ok && result != Zlib.BufferError);
                    stream->NextIn = null;
                    stream->AvailIn = 0;
                    if (full)
                        return false;
                }
            }
            if (Zlib.Deflate(stream, Zlib.Finish) != Zlib.StreamEnd)
                return false;
            written = destination.Length - (int)stream->AvailOut;
            stream->NextOut = null;
            stream->AvailOut = 0;
            return true;
        }
    }

    protected override bool ReleaseHandle()
    {
        _ = Zlib.DeflateEnd((Zlib.ZStream*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
