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
/// Signing and public keys (the proxy logging in to a server: the password, the scalar derived from it and the
/// nonce are secret) run in constant time: <see cref="Ed25519BaseMultiplication"/> (a Montgomery ladder with masked
/// swaps over <see cref="Field25519"/>) and <see cref="Scalar25519"/> (arithmetic modulo L), with no branch, table
/// index or <see cref="BigInteger"/> length that depends on a secret. Verifying (the proxy's server side) handles only
/// public data (key, nonce, signature) and keeps the simpler <see cref="BigInteger"/> arithmetic.
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
        var hash = SHA512.HashData(secret);
        try
        {
            return Ed25519BaseMultiplication.MultiplyBaseEncoded(Clamp(hash));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>The 64-byte signature R || S of <paramref name="message"/>, in constant time with respect to the secret.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> message)
    {
        var hash = SHA512.HashData(secret);
        var a = Clamp(hash);
        byte[]? r = null;
        try
        {
            var publicKey = Ed25519BaseMultiplication.MultiplyBaseEncoded(a);
            r = Scalar25519.Reduce(Hash(hash.AsSpan(32), message, []));
            var encodedR = Ed25519BaseMultiplication.MultiplyBaseEncoded(r);
            var h = Scalar25519.Reduce(Hash(encodedR, publicKey, message));
            var s = Scalar25519.MultiplyAdd(h, a, r);
            var signature = new byte[SignatureLength];
            encodedR.CopyTo(signature, 0);
            s.CopyTo(signature, 32);
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
            if (r is not null)
                CryptographicOperations.ZeroMemory(r);
        }
    }

    /// <summary>Base point coordinates and d, for the constant-time side's own representation.</summary>
    internal static (BigInteger BaseX, BigInteger BaseY, BigInteger D) Constants() => (Base.X, Base.Y, D);

    /// <summary>RFC 8032's pruning of the first 32 bytes of the hash: clear bits 0-2 and 255, set bit 254 (on a copy).</summary>
    private static byte[] Clamp(byte[] hash)
    {
        var scalar = hash[..32];
        scalar[0] &= 0xF8;
        scalar[31] &= 0x7F;
        scalar[31] |= 0x40;
        return scalar;
    }

    private static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha.AppendData(first);
        sha.AppendData(second);
        sha.AppendData(third);
        return sha.GetHashAndReset();
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

    private static BigInteger HashToScalar(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third) =>
        Mod(new BigInteger(Hash(first, second, third), isUnsigned: true), L);

    private static Point Add(Point p, Point q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(2 * p.T * q.T * D);
        var d = Mod(2 * p.Z * q.Z);
        BigInteger e = b - a, f = d - c, g = d + c, h = b + a;
        return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    /// <summary>Variable time (branches on the scalar's bits): for verifying only, where every scalar is public.</summary>
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
}
