using System.Buffers.Binary;
using System.Numerics;

namespace ProxyLayer.Routing;

/// <summary>
/// Bob Jenkins' SpookyHash V2 (public domain), written from the algorithm's description. ProxySQL keys query digests
/// on <c>Hash64(digest_text, seed 0)</c>, so the output must be bit-identical to the reference; the unit tests hold
/// vectors produced by the reference C++ implementation for lengths on both sides of every branch.
/// Words are read little-endian, as the reference does on the x86/ARM hosts ProxySQL runs on.
/// </summary>
public static class SpookyHash
{
    private const ulong Const = 0xDEADBEEFDEADBEEFUL;
    private const int VarCount = 12;
    private const int BlockSize = VarCount * 8;   // 96 bytes per Mix
    private const int ShortLimit = 2 * BlockSize; // under 192 bytes the short hash is used

    public static ulong Hash64(ReadOnlySpan<byte> message, ulong seed = 0)
    {
        var hash1 = seed;
        var hash2 = seed;
        Hash128(message, ref hash1, ref hash2);
        return hash1;
    }

    public static void Hash128(ReadOnlySpan<byte> message, ref ulong hash1, ref ulong hash2)
    {
        if (message.Length < ShortLimit)
        {
            ShortHash(message, ref hash1, ref hash2);
            return;
        }

        Span<ulong> h = stackalloc ulong[VarCount];
        h[0] = h[3] = h[6] = h[9] = hash1;
        h[1] = h[4] = h[7] = h[10] = hash2;
        h[2] = h[5] = h[8] = h[11] = Const;

        Span<ulong> data = stackalloc ulong[VarCount];
        var wholeBlocks = message.Length / BlockSize;
        for (var block = 0; block < wholeBlocks; block++)
        {
            ReadWords(message.Slice(block * BlockSize, BlockSize), data);
            Mix(data, h);
        }

        // The tail is zero-padded to a full block whose last byte holds the tail length.
        var tail = message[(wholeBlocks * BlockSize)..];
        Span<byte> last = stackalloc byte[BlockSize];
        last.Clear();
        tail.CopyTo(last);
        last[BlockSize - 1] = (byte)tail.Length;
        ReadWords(last, data);
        End(data, h);

        hash1 = h[0];
        hash2 = h[1];
    }

    private static void ReadWords(ReadOnlySpan<byte> block, Span<ulong> words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }
    }

    private static void ShortHash(ReadOnlySpan<byte> message, ref ulong hash1, ref ulong hash2)
    {
        var length = message.Length;
        var a = hash1;
        var b = hash2;
        var c = Const;
        var d = Const;
        var p = message;

        if (length > 15)
        {
            // 32-byte chunks, then at most one 16-byte chunk.
            while (p.Length >= 32)
            {
                c += U64(p, 0);
                d += U64(p, 8);
                ShortMix(ref a, ref b, ref c, ref d);
                a += U64(p, 16);
                b += U64(p, 24);
                p = p[32..];
            }

            if (p.Length >= 16)
            {
                c += U64(p, 0);
                d += U64(p, 8);
                ShortMix(ref a, ref b, ref c, ref d);
                p = p[16..];
            }
        }

        // The last 0..15 bytes: bytes 0..7 go into c, 8..14 into d, and d's top byte takes the total length.
        d += (ulong)length << 56;
        var remainder = p.Length;
        if (remainder == 0)
        {
            c += Const;
            d += Const;
        }
        else
        {
            if (remainder >= 8)
            {
                c += U64(p, 0);
                for (var i = 8; i < remainder; i++)
                {
                    d += (ulong)p[i] << (8 * (i - 8));
                }
            }
            else
            {
                for (var i = 0; i < remainder; i++)
                {
                    c += (ulong)p[i] << (8 * i);
                }
            }
        }

        ShortEnd(ref a, ref b, ref c, ref d);
        hash1 = a;
        hash2 = b;
    }

    private static ulong U64(ReadOnlySpan<byte> span, int offset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]);

    private static ulong Rot(ulong x, int k) => BitOperations.RotateLeft(x, k);

    private static void ShortMix(ref ulong h0, ref ulong h1, ref ulong h2, ref ulong h3)
    {
        h2 = Rot(h2, 50); h2 += h3; h0 ^= h2;
        h3 = Rot(h3, 52); h3 += h0; h1 ^= h3;
        h0 = Rot(h0, 30); h0 += h1; h2 ^= h0;
        h1 = Rot(h1, 41); h1 += h2; h3 ^= h1;
        h2 = Rot(h2, 54); h2 += h3; h0 ^= h2;
        h3 = Rot(h3, 48); h3 += h0; h1 ^= h3;
        h0 = Rot(h0, 38); h0 += h1; h2 ^= h0;
        h1 = Rot(h1, 37); h1 += h2; h3 ^= h1;
        h2 = Rot(h2, 62); h2 += h3; h0 ^= h2;
        h3 = Rot(h3, 34); h3 += h0; h1 ^= h3;
        h0 = Rot(h0, 5); h0 += h1; h2 ^= h0;
        h1 = Rot(h1, 36); h1 += h2; h3 ^= h1;
    }

    private static void ShortEnd(ref ulong h0, ref ulong h1, ref ulong h2, ref ulong h3)
    {
        h3 ^= h2; h2 = Rot(h2, 15); h3 += h2;
        h0 ^= h3; h3 = Rot(h3, 52); h0 += h3;
        h1 ^= h0; h0 = Rot(h0, 26); h1 += h0;
        h2 ^= h1; h1 = Rot(h1, 51); h2 += h1;
        h3 ^= h2; h2 = Rot(h2, 28); h3 += h2;
        h0 ^= h3; h3 = Rot(h3, 9); h0 += h3;
        h1 ^= h0; h0 = Rot(h0, 47); h1 += h0;
        h2 ^= h1; h1 = Rot(h1, 54); h2 += h1;
        h3 ^= h2; h2 = Rot(h2, 32); h3 += h2;
        h0 ^= h3; h3 = Rot(h3, 25); h0 += h3;
        h1 ^= h0; h0 = Rot(h0, 63); h1 += h0;
    }

    // Rotation amounts for Mix, one per state word; the indices below follow the reference's pattern
    // s[i] += data[i]; s[i+2] ^= s[i+10]; s[i+11] ^= s[i]; s[i] = rot(s[i]); s[i+11] += s[i+1] (mod 12).
    private static ReadOnlySpan<byte> MixRotations => [11, 32, 43, 31, 17, 28, 39, 57, 55, 54, 22, 46];

    private static void Mix(ReadOnlySpan<ulong> data, Span<ulong> s)
    {
        var rotations = MixRotations;
        for (var i = 0; i < VarCount; i++)
        {
            s[i] += data[i];
            s[(i + 2) % VarCount] ^= s[(i + 10) % VarCount];
            s[(i + 11) % VarCount] ^= s[i];
            s[i] = Rot(s[i], rotations[i]);
            s[(i + 11) % VarCount] += s[(i + 1) % VarCount];
        }
    }

    private static ReadOnlySpan<byte> EndRotations => [44, 15, 34, 21, 38, 33, 10, 13, 38, 53, 42, 54];

    // One round: h[i+11] += h[i+1]; h[i+2] ^= h[i+11]; h[i+1] = rot(h[i+1]) (mod 12).
    private static void EndPartial(Span<ulong> h)
    {
        var rotations = EndRotations;
        for (var i = 0; i < VarCount; i++)
        {
            h[(i + 11) % VarCount] += h[(i + 1) % VarCount];
            h[(i + 2) % VarCount] ^= h[(i + 11) % VarCount];
            h[(i + 1) % VarCount] = Rot(h[(i + 1) % VarCount], rotations[i]);
        }
    }

    private static void End(ReadOnlySpan<ulong> data, Span<ulong> h)
    {
        for (var i = 0; i < VarCount; i++)
        {
            h[i] += data[i];
        }

        EndPartial(h);
        EndPartial(h);
        EndPartial(h);
    }
}
