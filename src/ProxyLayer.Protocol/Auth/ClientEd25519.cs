using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// MariaDB's client_ed25519: the server sends a 32-byte nonce, the client signs it with Ed25519 using the password
/// itself as the secret key, and the server checks the signature against the stored public key. The server stores
/// the public key as 43 characters of unpadded base64 (<c>SELECT ed25519_password('…')</c>). See
/// https://mariadb.com/kb/en/authentication-plugin-ed25519/ and plugin/auth_ed25519 in MariaDB/server.
/// </summary>
public static class ClientEd25519
{
    public const string PluginName = "client_ed25519";
    public const int NonceLength = 32;
    /// <summary>The length of the public key in MariaDB's stored form (unpadded base64 of 32 bytes).</summary>
    public const int StoredLength = 43;

    /// <summary>The client's answer: the signature of the nonce.</summary>
    public static byte[] Sign(string password, ReadOnlySpan<byte> nonce) => Ed25519.Sign(Encoding.UTF8.GetBytes(password), nonce);

    public static byte[] PublicKey(string password) => Ed25519.PublicKey(Encoding.UTF8.GetBytes(password));

    public static bool Verify(ReadOnlySpan<byte> response, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> publicKey) =>
        response.Length == Ed25519.SignatureLength && Ed25519.Verify(publicKey, nonce, response);

    /// <summary>MariaDB's stored form of a password: the public key in unpadded base64.</summary>
    public static string HashPassword(string password) => Convert.ToBase64String(PublicKey(password)).TrimEnd('=');

    /// <summary>The public key from MariaDB's stored form, or null if <paramref name="stored"/> is not one.</summary>
    public static byte[]? TryDecodeStored(ReadOnlySpan<char> stored)
    {
        if (stored.Length != StoredLength)
            return null;
        Span<char> padded = stackalloc char[StoredLength + 1];
        stored.CopyTo(padded);
        padded[^1] = '=';
        var key = new byte[Ed25519.PublicKeyLength];
        return Convert.TryFromBase64Chars(padded, key, out var written) && written == key.Length ? key : null;
    }

    /// <summary>A fresh random nonce for the server side.</summary>
    public static byte[] CreateNonce() => RandomNumberGenerator.GetBytes(NonceLength);
}
