using System.Numerics;
using System.Security.Cryptography;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// Ed25519 (RFC 8032, section 5.1) over <see cref="BigInteger"/>, with the secret key allowed to be of any length:
/// MariaDB's client_ed25519 hashes the password itself with SHA-512 where RFC 8032 hashes a 32-byte seed, which no
/// packaged Ed25519 API accepts. A 32-byte secret gives exactly RFC 8032's keys and signatures (the unit tests hold
/// the RFC's vectors).
/// </summary>
/// <remarks>
/// Not constant-time: verifying (the proxy's server side) handles only public data; signing (the proxy logging in to
/// a server) handles the password, so its timing could in principle leak to someone measuring the proxy's own CPU.
/// About a millisecond per operation, paid once per login.
/// </remarks>
public static class Ed25519
{
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);
    private static readonly Point Base = BasePoint();
    private static readonly Point Neutral = new(0, 1, 1, 0);

    /// <summary>Extended homogeneous coordinates: x = X/Z, y = Y/Z, x*y = T/Z.</summary>
    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    /// <summary>The public key A = a*B, where a is the clamped first half of SHA-512(secret).</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> secret)
    {
        var (a, _) = Expand(secret);
        return Encode(Multiply(a, Base));
    }

    /// <summary>The 64-byte signature R || S of <paramref name="message"/>.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> message)
    {
        var (a, prefix) = Expand(secret);
        var publicKey = Encode(Multiply(a, Base));
        var r = HashToScalar(prefix, message, []);
        var encodedR = Encode(Multiply(r, Base));
        var h = HashToScalar(encodedR, publicKey, message);
        var s = Mod(r + h * a, L);
        var signature = new byte[SignatureLength];
        encodedR.CopyTo(signature, 0);
        WriteLittleEndian(s, signature.AsSpan(32));
        return signature;
    }

    /// <summary>True if <paramref name="signature"/> is a valid signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != SignatureLength)
            return false;
        if (Decode(publicKey) is not { } a || Decode(signature[..32]) is not { } r)
            return false;
        var s = new BigInteger(signature[32..], isUnsigned: true);
        if (s >= L)
            return false;
        var h = HashToScalar(signature[..32], publicKey, message);
        return AreEqual(Multiply(s, Base), Add(r, Multiply(h, a)));
    }

    private static (BigInteger Scalar, byte[] Prefix) Expand(ReadOnlySpan<byte> secret)
    {
        var hash = SHA512.HashData(secret);
        var a = new BigInteger(hash.AsSpan(0, 32), isUnsigned: true);
        a &= (BigInteger.One << 254) - 8;
        a |= BigInteger.One << 254;
        return (a, hash[32..]);
    }

    private static BigInteger HashToScalar(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha.AppendData(first);
        sha.AppendData(second);
        sha.AppendData(third);
        return Mod(new BigInteger(sha.GetHashAndReset(), isUnsigned: true), L);
    }

    private static Point Add(Point p, Point q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(2 * p.T * q.T * D);
        var d = Mod(2 * p.Z * q.Z);
        BigInteger e = b - a, f = d - c, g = d + c, h = b + a;
        return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static Point Multiply(BigInteger scalar, Point point)
    {
        var result = Neutral;
        while (scalar > 0)
        {
            if (!scalar.IsEven)
                result = Add(result, point);
            point = Add(point, point);
            scalar >>= 1;
        }
        return result;
    }

    private static bool AreEqual(Point p, Point q) =>
        Mod(p.X * q.Z - q.X * p.Z).IsZero && Mod(p.Y * q.Z - q.Y * p.Z).IsZero;

    private static byte[] Encode(Point point)
    {
        var zInverse = Inverse(point.Z);
        var x = Mod(point.X * zInverse);
        var y = Mod(point.Y * zInverse);
        var encoded = new byte[32];
        WriteLittleEndian(y, encoded);
        if (!x.IsEven)
            encoded[31] |= 0x80;
        return encoded;
    }

    private static Point? Decode(ReadOnlySpan<byte> encoded)
    {
        Span<byte> copy = stackalloc byte[32];
        encoded.CopyTo(copy);
        var sign = copy[31] >> 7;
        copy[31] &= 0x7F;
        var y = new BigInteger(copy, isUnsigned: true);
        if (RecoverX(y, sign) is not { } x)
            return null;
        return new Point(x, y, 1, Mod(x * y));
    }

    private static BigInteger? RecoverX(BigInteger y, int sign)
    {
        if (y >= P)
            return null;
        var x2 = Mod((y * y - 1) * Inverse(D * y * y + 1));
        if (x2.IsZero)
            return sign == 0 ? BigInteger.Zero : null;
        var x = BigInteger.ModPow(x2, (P + 3) / 8, P);
        if (!Mod(x * x - x2).IsZero)
            x = Mod(x * SqrtMinusOne);
        if (!Mod(x * x - x2).IsZero)
            return null;
        if ((int)(x & 1) != sign)
            x = P - x;
        return x;
    }

    private static Point BasePoint()
    {
        var y = Mod(4 * Inverse(5));
        var x = RecoverX(y, 0)!.Value;
        return new Point(x, y, 1, Mod(x * y));
    }

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);

    private static BigInteger Mod(BigInteger value) => Mod(value, P);

    private static BigInteger Mod(BigInteger value, BigInteger modulus)
    {
        var result = BigInteger.Remainder(value, modulus);
        return result.Sign < 0 ? result + modulus : result;
    }

    private static void WriteLittleEndian(BigInteger value, Span<byte> destination)
    {
        destination[..32].Clear();
        value.TryWriteBytes(destination[..32], out _, isUnsigned: true);
    }
}
