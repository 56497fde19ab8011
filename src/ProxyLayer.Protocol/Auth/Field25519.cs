using System.Buffers.Binary;
using System.Numerics;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// An element of GF(2^255 - 19) in five 51-bit limbs, for the constant-time side of <see cref="Ed25519"/> (signing):
/// every operation runs the same instructions whatever the values (no branch or table index depends on them), unlike
/// <see cref="BigInteger"/>, whose cost follows the numbers' lengths. Limbs stay below 2^52 between operations, which
/// keeps every sum of products in <see cref="Multiply"/> below 2^128.
/// </summary>
internal readonly struct Field25519
{
    private const ulong Mask = (1UL << 51) - 1;

    private readonly ulong _l0, _l1, _l2, _l3, _l4;

    private Field25519(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4) => (_l0, _l1, _l2, _l3, _l4) = (l0, l1, l2, l3, l4);

    public static Field25519 Zero => default;
    public static Field25519 One => new(1, 0, 0, 0, 0);

    /// <summary>A value below 2^255 (constants: it is not meant for secret input of other sizes).</summary>
    public static Field25519 From(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        value.TryWriteBytes(bytes, out _, isUnsigned: true);
        return FromBytes(bytes);
    }

    /// <summary>32 little-endian bytes, the top bit ignored (as RFC 8032 decodes a coordinate).</summary>
    public static Field25519 FromBytes(ReadOnlySpan<byte> bytes)
    {
        var w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        var w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        var w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        return new Field25519(w0 & Mask, ((w0 >> 51) | (w1 << 13)) & Mask, ((w1 >> 38) | (w2 << 26)) & Mask,
            ((w2 >> 25) | (w3 << 39)) & Mask, (w3 >> 12) & Mask);
    }

    /// <summary>The canonical (fully reduced, below p) 32-byte little-endian encoding.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        var x = Carry(_l0, _l1, _l2, _l3, _l4);
        x = Carry(x._l0, x._l1, x._l2, x._l3, x._l4);
        // q = 1 exactly when x >= p, i.e. when x + 19 reaches 2^255: found by carrying 19 through the limbs.
        var q = (x._l0 + 19) >> 51;
        q = (x._l1 + q) >> 51;
        q = (x._l2 + q) >> 51;
        q = (x._l3 + q) >> 51;
        q = (x._l4 + q) >> 51;
        // x - q*p = x + 19q - q*2^255: add 19q, carry, drop bit 255.
        var l0 = x._l0 + 19 * q;
        var l1 = x._l1 + (l0 >> 51); l0 &= Mask;
        var l2 = x._l2 + (l1 >> 51); l1 &= Mask;
        var l3 = x._l3 + (l2 >> 51); l2 &= Mask;
        var l4 = x._l4 + (l3 >> 51); l3 &= Mask;
        l4 &= Mask;
        BinaryPrimitives.WriteUInt64LittleEndian(destination, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], (l3 >> 39) | (l4 << 12));
    }

    /// <summary>The low bit of the canonical value (the sign of x in a point's encoding).</summary>
    public int IsOdd()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBytes(bytes);
        return bytes[0] & 1;
    }

    public static Field25519 operator +(Field25519 a, Field25519 b) =>
        Carry(a._l0 + b._l0, a._l1 + b._l1, a._l2 + b._l2, a._l3 + b._l3, a._l4 + b._l4);

    /// <summary>a - b as a + 4p - b, so no limb goes below zero (b's limbs are below 2^52 &lt; 4p's).</summary>
    public static Field25519 operator -(Field25519 a, Field25519 b) =>
        Carry(a._l0 + ((1UL << 53) - 76) - b._l0, a._l1 + ((1UL << 53) - 4) - b._l1, a._l2 + ((1UL << 53) - 4) - b._l2,
            a._l3 + ((1UL << 53) - 4) - b._l3, a._l4 + ((1UL << 53) - 4) - b._l4);

    public static Field25519 operator *(Field25519 a, Field25519 b) => Multiply(a, b);

    /// <summary>Schoolbook product; limb i*j with i + j >= 5 wraps around as 19 * 2^(51(i+j-5)), since 2^255 = 19 mod p.</summary>
    public static Field25519 Multiply(Field25519 a, Field25519 b)
    {
        ulong b1 = 19 * b._l1, b2 = 19 * b._l2, b3 = 19 * b._l3, b4 = 19 * b._l4;
        var r0 = Mul(a._l0, b._l0) + Mul(a._l1, b4) + Mul(a._l2, b3) + Mul(a._l3, b2) + Mul(a._l4, b1);
        var r1 = Mul(a._l0, b._l1) + Mul(a._l1, b._l0) + Mul(a._l2, b4) + Mul(a._l3, b3) + Mul(a._l4, b2);
        var r2 = Mul(a._l0, b._l2) + Mul(a._l1, b._l1) + Mul(a._l2, b._l0) + Mul(a._l3, b4) + Mul(a._l4, b3);
        var r3 = Mul(a._l0, b._l3) + Mul(a._l1, b._l2) + Mul(a._l2, b._l1) + Mul(a._l3, b._l0) + Mul(a._l4, b4);
        var r4 = Mul(a._l0, b._l4) + Mul(a._l1, b._l3) + Mul(a._l2, b._l2) + Mul(a._l3, b._l1) + Mul(a._l4, b._l0);
        r1 += r0 >> 51;
        r2 += r1 >> 51;
        r3 += r2 >> 51;
        r4 += r3 >> 51;
        // The carry out of r4 is below 2^62; times 19 it needs 128 bits before it goes back into limb 0.
        var r0Low = ((ulong)r0 & Mask) + (UInt128)(ulong)(r4 >> 51) * 19;
        var l1 = ((ulong)r1 & Mask) + (ulong)(r0Low >> 51);
        return Carry((ulong)r0Low & Mask, l1, (ulong)r2 & Mask, (ulong)r3 & Mask, (ulong)r4 & Mask);
    }

    /// <summary>value^(p-2) = 1/value (0 for 0). The exponent is public, so its square-and-multiply may branch on it.</summary>
    public Field25519 Invert()
    {
        // p - 2 = 2^255 - 21: bits 254..5 set, then 0b01011.
        var result = One;
        for (var bit = 254; bit >= 0; bit--)
        {
            result *= result;
            if (bit >= 5 || ((0b01011 >> bit) & 1) == 1)
                result *= this;
        }
        return result;
    }

    /// <summary>Swaps <paramref name="a"/> and <paramref name="b"/> when <paramref name="swap"/> is 1, leaves them when 0, in the same instructions.</summary>
    public static void ConditionalSwap(ref Field25519 a, ref Field25519 b, ulong swap)
    {
        var mask = 0UL - swap;
        var t0 = mask & (a._l0 ^ b._l0);
        var t1 = mask & (a._l1 ^ b._l1);
        var t2 = mask & (a._l2 ^ b._l2);
        var t3 = mask & (a._l3 ^ b._l3);
        var t4 = mask & (a._l4 ^ b._l4);
        a = new Field25519(a._l0 ^ t0, a._l1 ^ t1, a._l2 ^ t2, a._l3 ^ t3, a._l4 ^ t4);
        b = new Field25519(b._l0 ^ t0, b._l1 ^ t1, b._l2 ^ t2, b._l3 ^ t3, b._l4 ^ t4);
    }

    private static UInt128 Mul(ulong a, ulong b) => (UInt128)a * b;

    /// <summary>Brings every limb back under 2^51 (limb 0 under 2^51 + 19 * 2^13), the overflow of limb 4 folded in as 19.</summary>
    private static Field25519 Carry(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        l1 += l0 >> 51; l0 &= Mask;
        l2 += l1 >> 51; l1 &= Mask;
        l3 += l2 >> 51; l2 &= Mask;
        l4 += l3 >> 51; l3 &= Mask;
        l0 += 19 * (l4 >> 51); l4 &= Mask;
        return new Field25519(l0, l1, l2, l3, l4);
    }
}
