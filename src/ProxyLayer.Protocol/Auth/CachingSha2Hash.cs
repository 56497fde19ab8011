using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// The form MySQL stores a caching_sha2_password in (<c>mysql.user.authentication_string</c>), which ProxySQL 2.6
/// accepts in <c>mysql_users.password</c>: <c>$A$</c>, the iteration count in thousands of rounds as three digits
/// (<c>005</c>: 5000), <c>$</c>, a 20-byte salt, and the 43-character <see cref="Sha256Crypt"/> digest: 70
/// characters. The salt is raw bytes (MySQL avoids NUL and <c>$</c>), read here as Latin-1.
/// </summary>
public sealed class CachingSha2Hash
{
    public const int SaltLength = 20;
    public const int DigestLength = 43;
    public const int Length = 7 + SaltLength + DigestLength;
    private const int RoundsPerIteration = 1000;
    private const string SaltAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private CachingSha2Hash(int iterations, byte[] salt, string digest)
    {
        Iterations = iterations;
        Salt = salt;
        Digest = digest;
    }

    public int Iterations { get; }
    public byte[] Salt { get; }
    public string Digest { get; }

    public static bool IsHashed(string? stored) => TryParse(stored) is not null;

    public static CachingSha2Hash? TryParse(string? stored)
    {
        if (stored is not { Length: Length } || !stored.StartsWith("$A$", StringComparison.Ordinal) || stored[6] != '$')
            return null;
        if (!int.TryParse(stored.AsSpan(3, 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var iterations) || iterations == 0)
            return null;
        var salt = new byte[SaltLength];
        for (var i = 0; i < SaltLength; i++)
        {
            var c = stored[7 + i];
            if (c > 0xFF)
                return null;
            salt[i] = (byte)c;
        }
        return new CachingSha2Hash(iterations, salt, stored[(7 + SaltLength)..]);
    }

    /// <summary>True if <paramref name="password"/> is the one this hash was made from (time-constant compare).</summary>
    public bool Matches(string password)
    {
        var digest = Sha256Crypt.Digest(Encoding.UTF8.GetBytes(password), Salt, Iterations * RoundsPerIteration);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(digest), Encoding.ASCII.GetBytes(Digest));
    }

    /// <summary>The stored form of <paramref name="password"/> with a fresh printable salt and MySQL's default 5 iterations.</summary>
    public static string HashPassword(string password, int iterations = 5)
    {
        // Letters and digits only, so the stored text survives any config file, SQL literal or terminal.
        var salt = Encoding.ASCII.GetBytes(RandomNumberGenerator.GetString(SaltAlphabet, SaltLength));
        return Format(password, salt, iterations);
    }

    public static string Format(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        if (salt.Length != SaltLength)
            throw new ArgumentException($"the salt must be {SaltLength} bytes", nameof(salt));
        var digest = Sha256Crypt.Digest(Encoding.UTF8.GetBytes(password), salt, iterations * RoundsPerIteration);
        return $"$A${iterations.ToString("X3", CultureInfo.InvariantCulture)}${Encoding.Latin1.GetString(salt)}{digest}";
    }

    public override string ToString() => "$A$…";
}
