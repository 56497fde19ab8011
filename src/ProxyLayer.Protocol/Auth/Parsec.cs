using System.Security.Cryptography;
using System.Text;

namespace ProxyLayer.Protocol.Auth;

/// <summary>
/// MariaDB's PARSEC (11.6+): the password is stretched with PBKDF2-SHA512 over a per-user salt into a 32-byte Ed25519
/// seed; the server keeps the salt and the public key. A login: the server switches to <c>parsec</c> with a 32-byte
/// scramble, the client asks for the "ext-salt" with an empty packet, the server sends <c>'P'</c>, the iteration factor
/// (1024 &lt;&lt; factor iterations) and the salt, and the client answers with its own 32-byte scramble and the Ed25519
/// signature of both scrambles. Stored, as in <c>mysql.global_priv</c>: <c>P</c>, the factor as one digit,
/// <c>:</c>, the salt and <c>:</c>, the public key, both in unpadded base64. See MariaDB's authentication-plugin-parsec.
/// </summary>
public static class Parsec
{
    public const string PluginName = "parsec";
    public const int ScrambleLength = 32;
    public const int ResponseLength = ScrambleLength + Ed25519.SignatureLength;
    /// <summary>The highest iteration factor clients accept (MySqlConnector and MariaDB's connectors: 0..3).</summary>
    public const int MaxFactor = 3;
    private const byte Pbkdf2Marker = (byte)'P';

    /// <summary>A parsed ext-salt or stored form: the iteration factor, the salt and, when stored, the public key.</summary>
    public sealed record Key(int Factor, byte[] Salt, byte[] PublicKey)
    {
        /// <summary>What the server sends when the client asks: 'P', the factor as a byte, the salt.</summary>
        public byte[] ExtSalt() => [Pbkdf2Marker, (byte)Factor, .. Salt];

        /// <summary>The stored form, <c>P0:salt:key</c>.</summary>
        public string Stored() => $"P{Factor}:{Unpadded(Salt)}:{Unpadded(PublicKey)}";

        public override string ToString() => $"parsec key (factor {Factor})";
    }

    /// <summary>A key for <paramref name="password"/> with a fresh random salt (the proxy's own, for clear-text users).</summary>
    public static Key CreateKey(string password, int factor = 0)
    {
        var salt = RandomNumberGenerator.GetBytes(18);
        return new Key(factor, salt, PublicKey(password, salt, factor));
    }

    public static byte[] PublicKey(string password, ReadOnlySpan<byte> salt, int factor)
    {
        var seed = DeriveSeed(password, salt, factor);
        try
        {
            return Ed25519.PublicKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The client's answer: a fresh scramble of its own and the signature of server scramble || client scramble.</summary>
    public static byte[] Respond(string password, ReadOnlySpan<byte> serverScramble, ReadOnlySpan<byte> extSalt)
    {
        if (serverScramble.Length != ScrambleLength)
            throw new ArgumentException($"a parsec scramble has {ScrambleLength} bytes, not {serverScramble.Length}", nameof(serverScramble));
        if (!IsExtSalt(extSalt))
            throw new ArgumentException("not a parsec ext-salt ('P', an iteration factor of 0..3, a salt)", nameof(extSalt));
        Span<byte> message = stackalloc byte[2 * ScrambleLength];
        serverScramble.CopyTo(message);
        RandomNumberGenerator.Fill(message[ScrambleLength..]);
        var seed = DeriveSeed(password, extSalt[2..], extSalt[1]);
        try
        {
            return [.. message[ScrambleLength..], .. Ed25519.Sign(seed, message)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Whether <paramref name="response"/> (client scramble || signature) was made with the key's password.</summary>
    public static bool Verify(ReadOnlySpan<byte> response, ReadOnlySpan<byte> serverScramble, ReadOnlySpan<byte> publicKey)
    {
        if (response.Length != ResponseLength || serverScramble.Length != ScrambleLength)
            return false;
        Span<byte> message = stackalloc byte[2 * ScrambleLength];
        serverScramble.CopyTo(message);
        response[..ScrambleLength].CopyTo(message[ScrambleLength..]);
        return Ed25519.Verify(publicKey, message, response[ScrambleLength..]);
    }

    /// <summary>
    /// The ext-salt in a server's packet: bare, or after the 0x01 of an AuthMoreData packet (MariaDB 11.8.4 sends one);
    /// null if the packet is neither.
    /// </summary>
    public static byte[]? TryReadExtSalt(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 2 && payload[0] == 0x01 && payload[1] == Pbkdf2Marker)
            payload = payload[1..];
        return IsExtSalt(payload) ? payload.ToArray() : null;
    }

    /// <summary>'P', an iteration factor the clients accept, and a salt of at least one byte.</summary>
    private static bool IsExtSalt(ReadOnlySpan<byte> payload) =>
        payload.Length > 2 && payload[0] == Pbkdf2Marker && payload[1] <= MaxFactor;

    /// <summary>The key in its stored form (<c>P0:salt:key</c>), or null if <paramref name="stored"/> is not one.</summary>
    public static Key? TryParseStored(string stored)
    {
        var parts = stored.Split(':');
        if (parts.Length != 3 || parts[0].Length != 2 || parts[0][0] != 'P' || parts[0][1] is < '0' or > (char)('0' + MaxFactor))
            return null;
        var salt = FromUnpadded(parts[1]);
        var key = FromUnpadded(parts[2]);
        return salt is { Length: > 0 } && key is { Length: Ed25519.PublicKeyLength } ? new Key(parts[0][1] - '0', salt, key) : null;
    }

    private static byte[] DeriveSeed(string password, ReadOnlySpan<byte> salt, int factor) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 1024 << factor, HashAlgorithmName.SHA512, 32);

    private static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[]? FromUnpadded(string text)
    {
        if (text.Length == 0 || text.Length % 4 == 1)
            return null;
        var padded = text + new string('=', (4 - text.Length % 4) % 4);
        var bytes = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64String(padded, bytes, out var written) ? bytes[..written] : null;
    }
}
