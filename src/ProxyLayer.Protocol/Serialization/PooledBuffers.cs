using System.Buffers;

namespace ProxyLayer.Protocol.Serialization;

/// <summary>
/// The shared array pool for the buffers a proxy needs all the time, and plain arrays for the rare big ones (a 1 MB
/// statement, a 16 MB row): the pool would keep those for good, and memory must come back after a burst.
/// </summary>
public static class PooledBuffers
{
    /// <summary>The largest buffer taken from, and given back to, the shared pool.</summary>
    public const int LargestPooled = 128 * 1024;

    public static byte[] Rent(int size) =>
        size <= LargestPooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Gives back a buffer from <see cref="Rent"/>; a big one is left to the GC.</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= LargestPooled)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>A char buffer on the same terms: from the shared pool up to <see cref="LargestPooled"/> bytes.</summary>
    public static char[] RentChars(int length) =>
        length <= LargestPooled / sizeof(char) ? ArrayPool<char>.Shared.Rent(length) : GC.AllocateUninitializedArray<char>(length);

    /// <summary>Gives back a buffer from <see cref="RentChars"/>; a big one is left to the GC.</summary>
    public static void Return(char[] buffer)
    {
        if (buffer.Length is > 0 and <= LargestPooled / sizeof(char))
            ArrayPool<char>.Shared.Return(buffer);
    }
}
