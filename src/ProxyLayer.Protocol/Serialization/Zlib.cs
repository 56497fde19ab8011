using System.Runtime.InteropServices;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// The few zlib calls the compressed protocol needs, straight from the system library. .NET's
/// <see cref="System.IO.Compression.ZLibStream"/> cannot be reset, so every frame would cost a new deflate state
/// (~256 KB of native memory, set up and torn down); a native stream that is reset per frame costs nothing per frame.
/// </summary>
internal static unsafe partial class Zlib
{
    public const string LibraryName = "libz.so.1";

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int BufferError = -5;
    public const int NoFlush = 0;
    public const int Finish = 4;

    private const int DefaultCompression = 6;
    private const int Deflated = 8;
    private const int WindowBits = 15; // zlib format (header + Adler-32), as MySQL's compress()/uncompress() use
    private const int MemoryLevel = 8;
    private const int DefaultStrategy = 0;

    /// <summary>zlib checks only the major version and the struct size.</summary>
    private static ReadOnlySpan<byte> Version => "1.2.11\0"u8;

    /// <summary>True if the system zlib can be loaded; checked before a backend connection asks for compression.</summary>
    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(LibraryName, typeof(Zlib).Assembly, null, out _);

    /// <summary>z_stream; <see cref="CULong"/> keeps uLong's platform width.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public CULong TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public CULong TotalOut;
        public byte* Message;
        public nint State;
        public nint Alloc;
        public nint Free;
        public nint Opaque;
        public int DataType;
        public CULong Adler;
        public CULong Reserved;
    }

    /// <summary>A zeroed z_stream in native memory: zlib keeps a pointer back to it, so it must never move.</summary>
    public static ZStream* Allocate() => (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));

    public static int InitDeflate(ZStream* stream)
    {
        fixed (byte* version = Version)
            return DeflateInit2(stream, DefaultCompression, Deflated, WindowBits, MemoryLevel, DefaultStrategy, version, sizeof(ZStream));
    }

    public static int InitInflate(ZStream* stream)
    {
        fixed (byte* version = Version)
            return InflateInit2(stream, WindowBits, version, sizeof(ZStream));
    }

    [LibraryImport(LibraryName, EntryPoint = "deflateInit2_")]
    private static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memLevel, int strategy, byte* version, int streamSize);

    [LibraryImport(LibraryName, EntryPoint = "inflateInit2_")]
    private static partial int InflateInit2(ZStream* stream, int windowBits, byte* version, int streamSize);

    [LibraryImport(LibraryName, EntryPoint = "deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(LibraryName, EntryPoint = "deflateReset")]
    public static partial int DeflateReset(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "deflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(LibraryName, EntryPoint = "inflateReset")]
    public static partial int InflateReset(ZStream* stream);

    [LibraryImport(LibraryName, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(ZStream* stream);
}
