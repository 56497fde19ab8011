using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// caching_sha2_password, both sides: the fast-path scramble (checked against SHA256(SHA256(password)), the "cached"
/// hash) and, for full authentication without TLS, the password encrypted with the server's RSA public key. See
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html.
/// </summary>
public static class CachingSha2Password
{
    /// <summary>Client asks for the server's public key.</summary>
    public const byte RequestPublicKey = 0x02;
    /// <summary>Server (in AuthMoreData): the cached fast path succeeded; an OK follows.</summary>
    public const byte FastAuthSuccess = 0x03;
    /// <summary>Server (in AuthMoreData): full authentication is needed.</summary>
    public const byte PerformFullAuthentication = 0x04;

    /// <summary>XOR(SHA256(password), SHA256(SHA256(SHA256(password)) + nonce)).</summary>
    public static byte[] Scramble(string password, ReadOnlySpan<byte> nonce)
    {
        if (password.Length == 0)
            return [];
        var stage1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var stage2 = SHA256.HashData(stage1);
        var input = new byte[stage2.Length + nonce.Length];
        stage2.CopyTo(input, 0);
        nonce.CopyTo(input.AsSpan(stage2.Length));
        var result = SHA256.HashData(input);
        for (var i = 0; i < result.Length; i++)
            result[i] ^= stage1[i];
        return result;
    }

    /// <summary>The password + NUL, XORed with the nonce and RSA-OAEP encrypted with the server's PEM public key.</summary>
    public static byte[] EncryptPassword(string password, ReadOnlySpan<byte> nonce, string publicKeyPem)
    {
        if (nonce.IsEmpty)
            throw ProtocolException.Malformed("caching_sha2_password: empty scramble");
        var clear = Encoding.UTF8.GetBytes(password + "\0");
        for (var i = 0; i < clear.Length; i++)
            clear[i] ^= nonce[i % nonce.Length];
        using var rsa = RSA.Create();
        rsa.ImportFromPem(publicKeyPem);
        return rsa.Encrypt(clear, RSAEncryptionPadding.OaepSHA1);
    }

    /// <summary>The size of a client's scramble.</summary>
    public const int ScrambleLength = 32;

    /// <summary>SHA256(password): what a client proves knowledge of, and what logs in to a server's fast path.</summary>
    public static byte[] Stage1(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));

    /// <summary>SHA256(SHA256(password)): the hash the server's cache holds for the fast path.</summary>
    public static byte[] Stage2(string password) => SHA256.HashData(Stage1(password));

    /// <summary>The client's fast-path answer given SHA256(password) alone (a proxy that learnt it from its own client).</summary>
    public static byte[] ScrambleWithStage1(ReadOnlySpan<byte> stage1, ReadOnlySpan<byte> nonce)
    {
        var result = Mask(SHA256.HashData(stage1), nonce);
        for (var i = 0; i < result.Length; i++)
            result[i] ^= stage1[i];
        return result;
    }

    /// <summary>
    /// Checks a fast-path answer against the cached SHA256(SHA256(password)). On success returns SHA256(password),
    /// which the proxy can log in to a server's fast path with; on failure null.
    /// </summary>
    public static byte[]? VerifyScramble(ReadOnlySpan<byte> response, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> stage2)
    {
        if (response.Length != ScrambleLength || stage2.Length != ScrambleLength)
            return null;
        var candidate = Mask(stage2, nonce);
        for (var i = 0; i < candidate.Length; i++)
            candidate[i] ^= response[i];
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(candidate), stage2) ? candidate : null;
    }

    /// <summary>SHA256(stage2 + nonce): the mask both sides XOR SHA256(password) with.</summary>
    private static byte[] Mask(ReadOnlySpan<byte> stage2, ReadOnlySpan<byte> nonce)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(stage2);
        sha.AppendData(nonce);
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// The server side of <see cref="EncryptPassword"/>: the clear-text password from the client's RSA-OAEP block, or
    /// null if it does not decrypt (another key, or garbage).
    /// </summary>
    public static string? DecryptPassword(RSA key, ReadOnlySpan<byte> encrypted, ReadOnlySpan<byte> nonce)
    {
        if (nonce.IsEmpty)
            return null;
        byte[] clear;
        try
        {
            clear = key.Decrypt(encrypted.ToArray(), RSAEncryptionPadding.OaepSHA1);
        }
        catch (CryptographicException)
        {
            return null;
        }
        for (var i = 0; i < clear.Length; i++)
            clear[i] ^= nonce[i % nonce.Length];
        return PasswordFromNulTerminated(clear);
    }

    /// <summary>The password of a clear-text answer (over TLS): the bytes up to a terminating NUL, if any.</summary>
    public static string PasswordFromNulTerminated(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? data : data[..end]);
    }
}
