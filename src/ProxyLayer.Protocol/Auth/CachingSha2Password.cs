using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// caching_sha2_password as a client (towards MySQL 8 servers): the fast-path scramble and, for full authentication
/// without TLS, the password encrypted with the server's RSA public key. See
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
}
