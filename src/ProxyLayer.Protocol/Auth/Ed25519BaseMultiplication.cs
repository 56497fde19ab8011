using System.Numerics;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// scalar * B on edwards25519 in constant time, for signing (the secret scalar a and the nonce r): a Montgomery
/// ladder over all 256 bits, each step one addition and one doubling whatever the bit, the bit only choosing, by a
/// masked swap, which of the two running points gets which (no branch, no table index on secret data). The twisted
/// Edwards addition law used is complete (Hisil et al. 2008, a = -1, d not a square), so the same formula doubles
/// and handles the neutral point without special cases.
/// </summary>
internal static class Ed25519BaseMultiplication
{
    private readonly record struct Point(Field25519 X, Field25519 Y, Field25519 Z, Field25519 T);

    private static readonly Field25519 TwoD;
    private static readonly Point Base;
    private static readonly Point Neutral = new(Field25519.Zero, Field25519.One, Field25519.One, Field25519.Zero);

    static Ed25519BaseMultiplication()
    {
        var (x, y, d) = Ed25519.Constants();
        TwoD = Field25519.From(2 * d % (BigInteger.Pow(2, 255) - 19));
        var bx = Field25519.From(x);
        var by = Field25519.From(y);
        Base = new Point(bx, by, Field25519.One, bx * by);
    }

    /// <summary>The 32-byte encoding of <paramref name="scalar"/> (32 little-endian bytes) times the base point.</summary>
    public static byte[] MultiplyBaseEncoded(ReadOnlySpan<byte> scalar)
    {
        var r0 = Neutral;
        var r1 = Base;
        ulong swapped = 0;
        for (var bit = 255; bit >= 0; bit--)
        {
            var b = (ulong)(scalar[bit >> 3] >> (bit & 7)) & 1;
            // Invariant: r1 = r0 + B. Bit 1 needs (r0 + r1, 2 r1), bit 0 (2 r0, r0 + r1): swap, step, swap back later.
            Swap(ref r0, ref r1, swapped ^ b);
            swapped = b;
            r1 = Add(r0, r1);
            r0 = Add(r0, r0);
        }
        Swap(ref r0, ref r1, swapped);
        return Encode(r0);
    }

    private static Point Add(Point p, Point q)
    {
        var a = (p.Y - p.X) * (q.Y - q.X);
        var b = (p.Y + p.X) * (q.Y + q.X);
        var c = p.T * TwoD * q.T;
        var d = p.Z * q.Z;
        d += d;
        Field25519 e = b - a, f = d - c, g = d + c, h = b + a;
        return new Point(e * f, g * h, f * g, e * h);
    }

    private static void Swap(ref Point p, ref Point q, ulong swap)
    {
        var (px, py, pz, pt) = p;
        var (qx, qy, qz, qt) = q;
        Field25519.ConditionalSwap(ref px, ref qx, swap);
        Field25519.ConditionalSwap(ref py, ref qy, swap);
        Field25519.ConditionalSwap(ref pz, ref qz, swap);
        Field25519.ConditionalSwap(ref pt, ref qt, swap);
        p = new Point(px, py, pz, pt);
        q = new Point(qx, qy, qz, qt);
    }

    private static byte[] Encode(Point point)
    {
        var zInverse = point.Z.Invert();
        var x = point.X * zInverse;
        var y = point.Y * zInverse;
        var encoded = new byte[32];
        y.WriteBytes(encoded);
        encoded[31] |= (byte)(x.IsOdd() << 7);
        return encoded;
    }
}
