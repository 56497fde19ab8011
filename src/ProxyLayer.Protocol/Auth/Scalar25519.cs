using System.Buffers.Binary;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// Arithmetic modulo the group order L = 2^252 + 27742317777372353535851937790883648493 for Ed25519 signing, in
/// constant time: the secret scalar and nonce pass through here, so there is no branch or data-dependent length (as
/// <see cref="System.Numerics.BigInteger"/> has). The reduction is bit-serial (512 shift-and-conditional-subtract
/// steps): a few microseconds, small next to the two scalar multiplications of a signature.
/// </summary>
internal static class Scalar25519
{
    // L in four little-endian 64-bit words.
    private const ulong L0 = 0x5812631A5CF5D3ED, L1 = 0x14DEF9DEA2F79CD6, L2 = 0, L3 = 0x1000000000000000;

    /// <summary>A 64-byte little-endian number (a SHA-512 output) modulo L, as 32 little-endian bytes.</summary>
    public static byte[] Reduce(ReadOnlySpan<byte> wide)
    {
        Span<ulong> words = stackalloc ulong[8];
        for (var i = 0; i < 8; i++)
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(wide[(8 * i)..]);
        return ReduceWords(words);
    }

    /// <summary>(<paramref name="a"/> * <paramref name="b"/> + <paramref name="c"/>) mod L, each a 32-byte little-endian number.</summary>
    public static byte[] MultiplyAdd(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        Span<ulong> x = stackalloc ulong[4];
        Span<ulong> y = stackalloc ulong[4];
        Span<ulong> product = stackalloc ulong[8];
        for (var i = 0; i < 4; i++)
        {
            x[i] = BinaryPrimitives.ReadUInt64LittleEndian(a[(8 * i)..]);
            y[i] = BinaryPrimitives.ReadUInt64LittleEndian(b[(8 * i)..]);
            product[i] = BinaryPrimitives.ReadUInt64LittleEndian(c[(8 * i)..]);
        }
        product[4..].Clear();
        // Schoolbook product accumulated onto c: below 2^509 for the callers' values (a < 2^255, b and c < L < 2^253).
        for (var i = 0; i < 4; i++)
        {
            ulong carry = 0;
            for (var j = 0; j < 4; j++)
            {
                var sum = (UInt128)x[i] * y[j] + product[i + j] + carry;
                product[i + j] = (ulong)sum;
                carry = (ulong)(sum >> 64);
            }
            for (var k = i + 4; k < 8; k++)
            {
                var sum = (UInt128)product[k] + carry;
                product[k] = (ulong)sum;
                carry = (ulong)(sum >> 64);
            }
        }
        return ReduceWords(product);
    }

    private static byte[] ReduceWords(ReadOnlySpan<ulong> words)
    {
        // r stays below L < 2^253, so 2r + 1 fits four words; each step subtracts L when r >= L, chosen by mask.
        ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        for (var bit = 511; bit >= 0; bit--)
        {
            var incoming = (words[bit >> 6] >> (bit & 63)) & 1;
            r3 = (r3 << 1) | (r2 >> 63);
            r2 = (r2 << 1) | (r1 >> 63);
            r1 = (r1 << 1) | (r0 >> 63);
            r0 = (r0 << 1) | incoming;

            var (t0, borrow) = Subtract(r0, L0, 0);
            (var t1, borrow) = Subtract(r1, L1, borrow);
            (var t2, borrow) = Subtract(r2, L2, borrow);
            (var t3, borrow) = Subtract(r3, L3, borrow);
            var keep = 0UL - borrow; // all ones when r < L (the subtraction borrowed): keep r
            r0 = (r0 & keep) | (t0 & ~keep);
            r1 = (r1 & keep) | (t1 & ~keep);
            r2 = (r2 & keep) | (t2 & ~keep);
            r3 = (r3 & keep) | (t3 & ~keep);
        }
        var result = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(result, r0);
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(8), r1);
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(16), r2);
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(24), r3);
        return result;
    }

    /// <summary>a - b - borrow and the borrow out (0 or 1), without a branch.</summary>
    private static (ulong Difference, ulong Borrow) Subtract(ulong a, ulong b, ulong borrow)
    {
        var difference = a - b - borrow;
        // Borrow out: the top bit of (~a & b) | (~(a ^ b) & difference), the usual full-subtractor identity.
        var borrowOut = ((~a & b) | (~(a ^ b) & difference)) >> 63;
        return (difference, borrowOut);
    }
}
